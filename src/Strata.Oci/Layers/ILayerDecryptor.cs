namespace Strata.Oci.Layers;

using Strata.Oci.Model;

/// <summary>
/// Opens encrypted layers (media type <c>…+encrypted</c>, ocicrypt's annotations) as they are read: the image reader
/// takes no crypto dependency, the decryption lives in Strata.Encryption and is handed in through
/// <see cref="ImageOpenOptions.LayerDecryptor"/>.
/// </summary>
public interface ILayerDecryptor
{
    /// <summary>
    /// The plaintext of an encrypted blob, read from <paramref name="ciphertext"/> (its digest and size are verified by
    /// the caller). The plaintext stream fails at its end when the ciphertext's authentication fails; the caller checks
    /// the plaintext against <see cref="DecryptedLayer.Digest"/>, the digest the blob had before encryption.
    /// </summary>
    /// <param name="what">Names the layer in errors.</param>
    Task<DecryptedLayer> OpenAsync(Descriptor encrypted, Stream ciphertext, string what, CancellationToken cancellationToken);
}

/// <summary>An encrypted layer opened: its plaintext and the digest the original blob had.</summary>
public sealed record DecryptedLayer(Stream Plaintext, Digest Digest);
