namespace Strata.Encryption.Keys;

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>
/// The keys that may open encrypted layers, from <c>--key</c> / <c>--decryption-key</c> values as skopeo takes them:
/// <c>FILE[:PASSWORD]</c>, the password given as <c>pass=TEXT</c>, <c>file=PATH</c>, <c>fd=N</c> or plain text (as
/// ocicrypt reads it). A file is a private key (PEM, DER or JWK; for JWE and PKCS#7), an X.509 certificate (to pick the
/// PKCS#7 recipient) or an OpenPGP secret keyring. Passwords are never printed.
/// </summary>
public sealed class DecryptionKeys : IDisposable
{
    public List<AsymmetricAlgorithm> PrivateKeys { get; } = [];

    public List<X509Certificate2> Certificates { get; } = [];

    public List<(PgpSecretKeyRingBundle Keyring, string Passphrase)> Pgp { get; } = [];

    public bool IsEmpty => PrivateKeys.Count == 0 && Pgp.Count == 0;

    /// <summary>Reads the keys (small files, read synchronously: this runs while options are read, before any image is opened).</summary>
    public static DecryptionKeys Parse(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var keys = new DecryptionKeys();
        try
        {
            foreach (var value in values)
            {
                // As ocicrypt: split at ':'; a second part is the password.
                var parts = value.Split(':');
                if (parts.Length > 2 || parts[0].Length == 0)
                {
                    throw StrataException.Usage("--key: expected FILE or FILE:PASSWORD (pass=TEXT, file=PATH, fd=N)");
                }

                var path = parts[0];
                var password = parts.Length == 2 ? Password(parts[1], path) : string.Empty;
                var data = EncryptionRecipients.Read(path);
                keys.Add(data, password, path);
            }

            return keys;
        }
        catch
        {
            keys.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var key in PrivateKeys)
        {
            key.Dispose();
        }

        foreach (var certificate in Certificates)
        {
            certificate.Dispose();
        }
    }

    private void Add(byte[] data, string password, string path)
    {
        if (AsymmetricKeys.LooksPrivate(data) || LooksDerPrivate(data))
        {
            PrivateKeys.Add(AsymmetricKeys.LoadPrivate(data, password, path));
            return;
        }

        if (Encoding.ASCII.GetString(data, 0, Math.Min(data.Length, 4096)).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            Certificates.Add(EncryptionRecipients.LoadCertificate(data, path));
            return;
        }

        if (KeyWrap.OpenPgp.LooksLikeSecretKeyring(data))
        {
            Pgp.Add((KeyWrap.OpenPgp.LoadSecretKeys(data, path), password));
            return;
        }

        try
        {
            Certificates.Add(EncryptionRecipients.LoadCertificate(data, path));
        }
        catch (StrataException)
        {
            throw StrataException.Usage($"{path}: not a private key, an X.509 certificate or an OpenPGP secret keyring");
        }
    }

    private static bool LooksDerPrivate(byte[] data)
    {
        foreach (var key in (AsymmetricAlgorithm[])[RSA.Create(), ECDiffieHellman.Create()])
        {
            using (key)
            {
                try
                {
                    key.ImportPkcs8PrivateKey(data, out _);
                    return true;
                }
                catch (CryptographicException)
                {
                }
            }
        }

        try
        {
            var reader = new System.Formats.Asn1.AsnReader(data, System.Formats.Asn1.AsnEncodingRules.BER);
            return reader.ReadSequence().ReadSequence().ReadObjectIdentifier() == "1.2.840.113549.1.5.13";
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return false;
        }
    }

    private static string Password(string spec, string path)
    {
        if (spec.StartsWith("pass=", StringComparison.Ordinal))
        {
            return spec[5..];
        }

        if (spec.StartsWith("file=", StringComparison.Ordinal))
        {
            var file = spec[5..];
            var info = new FileInfo(file);
            if (!info.Exists || info.Length > 64 * 1024)
            {
                throw StrataException.Usage($"{path}: the password file '{Redaction.Quote(file, 200)}' does not exist or is too large");
            }

            return File.ReadAllText(file).TrimEnd('\n', '\r');
        }

        if (spec.StartsWith("fd=", StringComparison.Ordinal))
        {
            if (!int.TryParse(spec.AsSpan(3), out var fd) || fd < 0)
            {
                throw StrataException.Usage($"{path}: fd= needs a file descriptor number");
            }

            using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
            using var stream = new FileStream(handle, FileAccess.Read);
            var buffer = new byte[64];
            var n = stream.Read(buffer);
            return Encoding.UTF8.GetString(buffer, 0, n);
        }

        return spec;
    }
}
