namespace Strata.Signing.Keys;

using System.Security.Cryptography;
using System.Text;
using Strata.Core;

/// <summary>
/// <c>strata key generate</c>: a new ECDSA P-256 key pair written as cosign writes it: <c>PREFIX.key</c>, the PKCS#8
/// key encrypted under a passphrase (<see cref="EncryptedKeyBox"/>) in an <c>ENCRYPTED COSIGN PRIVATE KEY</c> PEM
/// block, mode 0600, and <c>PREFIX.pub</c>, the <c>PUBLIC KEY</c> PEM.
/// </summary>
public static class KeyPairFiles
{
    public const string DefaultPrefix = "cosign";

    /// <summary>The written files.</summary>
    public sealed record Written(string PrivateKeyPath, string PublicKeyPath, PublicKeyMaterial PublicKey);

    /// <summary>
    /// Generates and writes a key pair. Refuses to replace existing files unless <paramref name="force"/>; the
    /// passphrase is asked only after that check, so a refused run never prompts.
    /// </summary>
    public static Written Generate(string prefix, PassphraseSource passphrase, bool force, string label = SigningKey.CosignEncryptedLabel)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(passphrase);
        var privatePath = prefix + ".key";
        var publicPath = prefix + ".pub";
        if (!force)
        {
            foreach (var path in new[] { privatePath, publicPath })
            {
                if (File.Exists(path))
                {
                    throw StrataException.Usage($"{path} already exists; use --force to replace it.");
                }
            }
        }

        var key = SigningKey.GenerateEcdsaP256(out var pkcs8);
        var secret = passphrase.Get(confirm: true);
        string pem;
        try
        {
            pem = KeyPem.Encode(label, EncryptedKeyBox.Encrypt(pkcs8, secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        WritePrivate(privatePath, pem);
        File.WriteAllText(publicPath, key.PublicKey.ToPem(), new UTF8Encoding(false));
        return new Written(privatePath, publicPath, key.PublicKey);
    }

    private static void WritePrivate(string path, string pem)
    {
        // Created 0600 from the start (never world-readable, even briefly); an existing file is replaced, not reused,
        // so its old mode cannot leak through.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(pem));
    }
}
