namespace Strata.Encryption.Keys;

using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>
/// Who an image is encrypted for, from <c>--recipient</c> values as skopeo's <c>--encryption-key</c> takes them:
/// <c>jwe:PUBLIC-KEY-FILE</c> (RSA or EC, PEM, DER or JWK), <c>pkcs7:CERTIFICATE-FILE</c> (X.509 with an RSA key),
/// <c>pgp:KEY-FILE</c> (an OpenPGP public key or keyring, armored or binary) or <c>pgp:USER-ID</c> (exported from the
/// user's gpg keyring, <c>$GNUPGHOME</c>).
/// </summary>
public sealed class EncryptionRecipients : IDisposable
{
    private const int MaxFileBytes = AsymmetricKeys.MaxKeyFileBytes;

    public List<AsymmetricAlgorithm> Jwe { get; } = [];

    public List<X509Certificate2> Pkcs7 { get; } = [];

    public List<PgpPublicKey> Pgp { get; } = [];

    public bool IsEmpty => Jwe.Count == 0 && Pkcs7.Count == 0 && Pgp.Count == 0;

    public static async Task<EncryptionRecipients> ParseAsync(IEnumerable<string> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var recipients = new EncryptionRecipients();
        try
        {
            foreach (var value in values)
            {
                var colon = value.IndexOf(':', StringComparison.Ordinal);
                var scheme = colon < 0 ? string.Empty : value[..colon];
                var target = colon < 0 ? string.Empty : value[(colon + 1)..];
                if (target.Length == 0)
                {
                    throw StrataException.Usage($"--recipient '{Redaction.Quote(value, 200)}': expected jwe:PUBLIC-KEY, pkcs7:CERTIFICATE or pgp:KEY-FILE-OR-USER-ID");
                }

                switch (scheme)
                {
                    case "jwe":
                        recipients.Jwe.Add(AsymmetricKeys.LoadPublic(await ReadAsync(target, cancellationToken), target));
                        break;
                    case "pkcs7":
                        recipients.Pkcs7.Add(LoadCertificate(await ReadAsync(target, cancellationToken), target));
                        break;
                    case "pgp":
                        var data = File.Exists(target) ? await ReadAsync(target, cancellationToken) : await ExportFromGpgAsync(target, cancellationToken);
                        recipients.Pgp.AddRange(KeyWrap.OpenPgp.LoadPublicEncryptionKeys(data, File.Exists(target) ? target : $"gpg key '{target}'"));
                        break;
                    default:
                        throw StrataException.Usage($"--recipient '{Redaction.Quote(value, 200)}': unknown scheme '{Redaction.Quote(scheme, 40)}'; expected jwe:, pkcs7: or pgp:");
                }
            }

            return recipients;
        }
        catch
        {
            recipients.Dispose();
            throw;
        }
    }

    /// <summary>An X.509 certificate (PEM or DER) whose key is RSA, as ocicrypt's PKCS#7 wrapping needs.</summary>
    public static X509Certificate2 LoadCertificate(byte[] data, string source)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(data);
        }
        catch (CryptographicException e)
        {
            throw StrataException.BadInput($"{source}: not an X.509 certificate (PEM or DER)", e);
        }

        using var key = certificate.GetRSAPublicKey();
        if (key is null)
        {
            certificate.Dispose();
            throw StrataException.Usage($"{source}: the certificate's key is not RSA; PKCS#7 layer keys are wrapped for RSA keys only");
        }

        return certificate;
    }

    public void Dispose()
    {
        foreach (var key in Jwe)
        {
            key.Dispose();
        }

        foreach (var certificate in Pkcs7)
        {
            certificate.Dispose();
        }
    }

    internal static async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        Check(path);
        return await File.ReadAllBytesAsync(path, cancellationToken);
    }

    internal static byte[] Read(string path)
    {
        Check(path);
        return File.ReadAllBytes(path);
    }

    private static void Check(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw StrataException.Usage($"{path}: no such file");
        }

        if (info.Length > MaxFileBytes)
        {
            throw StrataException.BadInput($"{path}: {info.Length} bytes is too large for a key or certificate");
        }
    }

    /// <summary>The public key of a user ID or key ID from the user's gpg keyring (<c>gpg --export</c>).</summary>
    private static async Task<byte[]> ExportFromGpgAsync(string userId, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("gpg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--batch", "--no-tty", "--export", "--", userId])
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("gpg did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw StrataException.Usage($"pgp:{userId}: no such file, and gpg could not be run to look the user ID up ({e.Message})");
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await copy;
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw StrataException.BadInput($"pgp:{userId}: gpg --export did not finish in 30 s");
            }

            if (process.ExitCode != 0 || output.Length == 0)
            {
                throw StrataException.Usage($"pgp:{userId}: no such file, and gpg has no public key for this user ID ({(await errors).Trim()})");
            }

            return output.ToArray();
        }
    }
}
