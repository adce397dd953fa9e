namespace Strata.Secrets.Tests.Structured;

using Strata.Testing;

/// <summary>
/// Private keys made by the real tools (ssh-keygen, openssl, gpg, puttygen), once per test class: throwaway keys of
/// each format, clear and protected, that no system trusts.
/// </summary>
public sealed class GeneratedKeys : IAsyncLifetime, IDisposable
{
    public const string Passphrase = "Qv7mT2xw-fake";

    private readonly TempDirectory directory = new("strata-keys");
    private readonly Dictionary<string, string> keys = new(StringComparer.Ordinal);

    /// <summary>Each kind of key, with the rule that must report it.</summary>
    public static TheoryData<string, string> Kinds => new()
    {
        { "openssh-ed25519", "SEC-PRIVATE-KEY-OPENSSH" },
        { "openssh-ed25519-passphrase", "SEC-PRIVATE-KEY-OPENSSH-ENCRYPTED" },
        { "openssh-rsa-pem", "SEC-PRIVATE-KEY-RSA" },
        { "openssh-rsa-pem-passphrase", "SEC-PRIVATE-KEY-PEM-ENCRYPTED" },
        { "openssl-rsa-traditional", "SEC-PRIVATE-KEY-RSA" },
        { "openssl-ec-traditional", "SEC-PRIVATE-KEY-EC" },
        { "openssl-dsa-traditional", "SEC-PRIVATE-KEY-DSA" },
        { "openssl-ed25519-pkcs8", "SEC-PRIVATE-KEY-PKCS8" },
        { "openssl-ec-pkcs8", "SEC-PRIVATE-KEY-PKCS8" },
        { "openssl-ec-pkcs8-aes256", "SEC-PRIVATE-KEY-PKCS8-ENCRYPTED" },
        { "openssl-ec-traditional-aes128", "SEC-PRIVATE-KEY-PEM-ENCRYPTED" },
        { "gpg-ed25519", "SEC-PRIVATE-KEY-PGP" },
        { "gpg-ed25519-passphrase", "SEC-PRIVATE-KEY-PGP-ENCRYPTED" },
        { "gpg-rsa", "SEC-PRIVATE-KEY-PGP" },
        { "puttygen-v3", "SEC-PRIVATE-KEY-PUTTY" },
        { "puttygen-v3-passphrase", "SEC-PRIVATE-KEY-PUTTY-ENCRYPTED" },
        { "puttygen-v2", "SEC-PRIVATE-KEY-PUTTY" },
        { "puttygen-v2-passphrase", "SEC-PRIVATE-KEY-PUTTY-ENCRYPTED" },
        { "puttygen-sshcom", "SEC-PRIVATE-KEY-SSH2" },
        { "puttygen-sshcom-passphrase", "SEC-PRIVATE-KEY-SSH2-ENCRYPTED" },
    };

    public string this[string kind] => keys[kind];

    public async Task InitializeAsync()
    {
        await SshKeygenAsync("openssh-ed25519", "-t", "ed25519", "-N", string.Empty);
        await SshKeygenAsync("openssh-ed25519-passphrase", "-t", "ed25519", "-N", Passphrase);
        await SshKeygenAsync("openssh-rsa-pem", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", string.Empty);
        await SshKeygenAsync("openssh-rsa-pem-passphrase", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", Passphrase);

        await OpensslAsync("openssl-rsa-pkcs8", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
        await OpensslAsync("openssl-rsa-traditional", "pkey", "-in", Path("openssl-rsa-pkcs8"), "-traditional");
        await OpensslAsync("openssl-ec-pkcs8", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        await OpensslAsync("openssl-ec-traditional", "pkey", "-in", Path("openssl-ec-pkcs8"), "-traditional");
        await OpensslAsync("openssl-ec-traditional-aes128", "pkey", "-in", Path("openssl-ec-pkcs8"), "-traditional", "-aes128", "-passout", "pass:" + Passphrase);
        await OpensslAsync("openssl-ec-pkcs8-aes256", "pkcs8", "-topk8", "-v2", "aes256", "-in", Path("openssl-ec-pkcs8"), "-passout", "pass:" + Passphrase);
        await OpensslAsync("openssl-dsa-pkcs8", "dsaparam", "-genkey", "-noout", "1024");
        await OpensslAsync("openssl-dsa-traditional", "pkey", "-in", Path("openssl-dsa-pkcs8"), "-traditional");
        await OpensslAsync("openssl-ed25519-pkcs8", "genpkey", "-algorithm", "ed25519");

        await GpgAsync("gpg-ed25519", "Key-Type: EDDSA\nKey-Curve: ed25519", null);
        await GpgAsync("gpg-ed25519-passphrase", "Key-Type: EDDSA\nKey-Curve: ed25519", Passphrase);
        await GpgAsync("gpg-rsa", "Key-Type: RSA\nKey-Length: 2048", null);

        await PuttygenAsync("puttygen-v3", null, "3");
        await PuttygenAsync("puttygen-v3-passphrase", Passphrase, "3");
        await PuttygenAsync("puttygen-v2", null, "2");
        await PuttygenAsync("puttygen-v2-passphrase", Passphrase, "2");
        await PuttygenAsync("puttygen-sshcom", null, "3", "rsa", "private-sshcom");
        await PuttygenAsync("puttygen-sshcom-passphrase", Passphrase, "3", "rsa", "private-sshcom");
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => directory.Dispose();

    private string Path(string kind) => directory.Combine(kind + ".key");

    private async Task SshKeygenAsync(string kind, params string[] arguments)
    {
        await ExternalTool.RunCheckedAsync("ssh-keygen", ["-q", "-C", "fake@example.test", "-f", Path(kind), .. arguments]);
        keys[kind] = await File.ReadAllTextAsync(Path(kind));
    }

    private async Task OpensslAsync(string kind, params string[] arguments)
    {
        await ExternalTool.RunCheckedAsync("openssl", [arguments[0], "-out", Path(kind), .. arguments[1..]]);
        keys[kind] = await File.ReadAllTextAsync(Path(kind));
    }

    private async Task GpgAsync(string kind, string keyType, string? passphrase)
    {
        // A home of its own per key: %no-protection would otherwise carry over to the next key of the batch.
        var home = directory.Combine("gnupg-" + kind);
        Directory.CreateDirectory(home);
        if (!OperatingSystem.IsWindows())
        {
            // gpg refuses a home others can read.
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var environment = new Dictionary<string, string> { ["GNUPGHOME"] = home };
        var protection = passphrase is null ? "%no-protection" : "Passphrase: " + passphrase;
        var parameters = $"{keyType}\nName-Real: Fake Signer\nName-Email: signer@example.test\nExpire-Date: 0\n{protection}\n%commit\n";
        string[] loopback = ["--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase ?? string.Empty];
        try
        {
            Checked(await ExternalTool.RunAsync("gpg", [.. loopback, "--gen-key"], environment: environment, stdin: parameters));
            var export = Checked(await ExternalTool.RunAsync("gpg", [.. loopback, "--armor", "--export-secret-keys", "signer@example.test"], environment: environment));
            keys[kind] = export.StdOut;
        }
        finally
        {
            // gpg started an agent for this home: stop it, not any other.
            await ExternalTool.RunAsync("gpgconf", ["--kill", "gpg-agent"], environment: environment);
        }
    }

    private async Task PuttygenAsync(string kind, string? passphrase, string version, string type = "ed25519", string format = "private")
    {
        var passphraseFile = directory.Combine(kind + ".passphrase");
        await File.WriteAllTextAsync(passphraseFile, passphrase ?? string.Empty);
        await ExternalTool.RunCheckedAsync("puttygen", "-q", "-t", type, "-C", "fake", "--ppk-param", "version=" + version, "--new-passphrase", passphraseFile, "-O", format, "-o", Path(kind));
        keys[kind] = await File.ReadAllTextAsync(Path(kind));
    }

    private static ExternalTool.Result Checked(ExternalTool.Result result)
    {
        Assert.True(result.ExitCode == 0, result.StdErr);
        return result;
    }
}
