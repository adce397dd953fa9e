namespace Strata.Encryption;

using Strata.Core;
using Strata.Encryption.KeyWrap;
using Strata.Oci.Model;

/// <summary>What an encrypted layer's annotations say about its recipients, read without any key.</summary>
public static class EncryptedLayerInfo
{
    /// <summary>
    /// One line per recipient: JWE key algorithm (and key ID or curve), PKCS#7 issuer and serial number, OpenPGP key
    /// ID. A message that cannot be read is reported as such, not thrown: inspection should still show the rest.
    /// </summary>
    public static IReadOnlyList<string> Recipients(Descriptor layer, string what)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var lines = new List<string>();
        void Each(string annotation, Action<byte[]> read)
        {
            try
            {
                foreach (var message in LayerAnnotations.Messages(layer, annotation, what))
                {
                    read(message);
                }
            }
            catch (StrataException e)
            {
                lines.Add($"unreadable: {e.Message}");
            }
        }

        Each(LayerAnnotations.Jwe, message => lines.AddRange(Jwe.Recipients(message, what).Select(r =>
            $"jwe {r.Algorithm}{(r.Curve is null ? string.Empty : $" {r.Curve}")}{(r.KeyId is null ? string.Empty : $" kid {r.KeyId}")}")));
        Each(LayerAnnotations.Pkcs7, message => lines.AddRange(Pkcs7.Recipients(message, what).Select(r => $"pkcs7 issuer \"{r.Issuer}\" serial {r.SerialNumber}")));
        Each(LayerAnnotations.Pgp, message => lines.AddRange(OpenPgp.RecipientKeyIds(message, what).Select(id => id == 0 ? "pgp anonymous recipient (key ID hidden)" : $"pgp key {id:X16}")));
        return lines;
    }
}
