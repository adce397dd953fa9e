namespace Strata.Fuzz.Targets;

using System.Text;

/// <summary>
/// A file of an image read by the secret scanner, and the same bytes as a string (an ENV value): the structures it
/// decodes (PKCS#12 key stores by their first bytes, base64 PEM blocks, Kubernetes Secret values, PGP packets, PEM
/// bodies however escaped).
/// </summary>
public sealed class SecretStructuresTarget : IFuzzTarget
{
    public string Name => "secret-structures";

    public string Covers => "Secrets/Structured (Pkcs12Store with .NET's PKCS#12 loader, Base64Pem, KubernetesSecretValues, PgpSecretKey, PemBody) through SecretScanner.ScanAsync and ScanText";

    public async ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var scanner = Scanners.Secrets.Scanner;
        using var stream = new MemoryStream(input, writable: false);
        await scanner.ScanAsync(stream, "/app/config/blob", null, cancellationToken);
        scanner.ScanText(new UTF8Encoding(false).GetString(input), "ENV");
    }
}
