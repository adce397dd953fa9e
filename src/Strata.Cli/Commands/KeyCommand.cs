namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Text;
using Strata.Core;
using Strata.Signing.Keys;

/// <summary><c>strata key generate</c>: a cosign-compatible key pair.</summary>
internal static class KeyCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var command = new Command("key", "Signing keys in cosign's format.");
        var prefix = new Option<string>("--output-key-prefix")
        {
            HelpName = "prefix",
            Description = "Write PREFIX.key and PREFIX.pub (default cosign).",
            DefaultValueFactory = _ => KeyPairFiles.DefaultPrefix,
        };
        var force = new Option<bool>("--force") { Description = "Replace existing PREFIX.key and PREFIX.pub." };
        var passphraseFile = PassphraseFileOption();
        var generate = new Command(
            "generate",
            "Generate an ECDSA P-256 key pair as cosign does: PREFIX.key (PKCS#8 encrypted with scrypt and NaCl secretbox, PEM 'ENCRYPTED COSIGN PRIVATE KEY', mode 0600) and PREFIX.pub (PEM 'PUBLIC KEY'). "
            + "The passphrase comes from --passphrase-file, $STRATA_PASSWORD, $COSIGN_PASSWORD, or a prompt on a terminal.")
        {
            prefix, force, passphraseFile,
        };
        SharedOptions.Add(generate, shared.Debug);
        generate.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            var path = Path.GetFullPath(parse.GetValue(prefix)!, io.WorkingDirectory);
            var written = KeyPairFiles.Generate(path, Passphrase(parse, passphraseFile, io), parse.GetValue(force));
            var text = $"Private key written to {written.PrivateKeyPath}\nPublic key written to {written.PublicKeyPath} ({written.PublicKey.Algorithm}, SHA-256 {written.PublicKey.Fingerprint})\n";
            await io.Out.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            return (int)ExitCode.Clean;
        }));
        command.Subcommands.Add(generate);
        return command;
    }

    internal static Option<string?> PassphraseFileOption() => new("--passphrase-file")
    {
        HelpName = "file",
        Description = "Read the private key's passphrase from the first line of FILE (else $STRATA_PASSWORD, $COSIGN_PASSWORD, or a prompt on a terminal).",
    };

    internal static PassphraseSource Passphrase(ParseResult parse, Option<string?> passphraseFile, CliIo io) =>
        new(parse.GetValue(passphraseFile) is { } file ? Path.GetFullPath(file, io.WorkingDirectory) : null, message => Prompt(io, message));

    /// <summary>Asks on the terminal without echo; null when stdin is not a terminal (then nothing is read).</summary>
    private static string? Prompt(CliIo io, string message)
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }

        io.Error.Write(message);
        io.Error.Flush();
        var line = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (line.Length > 0)
                {
                    line.Length--;
                }
            }
            else if (key.KeyChar != '\0')
            {
                line.Append(key.KeyChar);
            }
        }

        io.Error.WriteLine();
        return line.ToString();
    }
}
