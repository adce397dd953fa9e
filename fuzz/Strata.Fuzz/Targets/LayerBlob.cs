namespace Strata.Fuzz.Targets;

using Strata.Core;
using Strata.Oci;
using Strata.Oci.Layers;
using Strata.Oci.Model;
using Strata.Oci.Resolution;
using Strata.Oci.Sources;

/// <summary>Feeds one fuzz input to <see cref="LayerReader"/> as a layer blob whose digest and size match it.</summary>
internal static class LayerBlob
{
    /// <summary>
    /// The production limits, except that decompression stops at 64 MiB and the ratio check starts after 1 MiB:
    /// a small input may still expand a thousandfold, but one input may not take seconds, which AFL would call a hang.
    /// </summary>
    private static readonly Limits Limits = Limits.Default with
    {
        MaxLayerUncompressedBytes = 64L << 20,
        MaxImageUncompressedBytes = 64L << 20,
        CompressionRatioGraceBytes = 1L << 20,
    };

    /// <param name="compression">How the blob is compressed; its diffID is the blob's own digest, right only when it is not.</param>
    public static async Task ReadAsync(byte[] input, LayerCompression compression, CancellationToken cancellationToken)
    {
        var digest = Digest.Sha256Of(input);
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayer, Digest = digest, Size = input.Length };
        var layer = new ImageLayer(0, descriptor, digest, compression, null);
        await using var source = new Source(input);
        var buffer = new byte[16 * 1024];
        await LayerReader.ReadAsync(source, layer, Limits, new UncompressedBudget(Limits.MaxImageUncompressedBytes), async (entry, content, token) =>
        {
            // Read every file through, as the secret scanner and extraction do.
            if (content is not null)
            {
                while (await content.ReadAsync(buffer, token) > 0)
                {
                }
            }
        }, cancellationToken);
    }

    private sealed class Source(byte[] blob) : IImageSource
    {
        public string Reference => "fuzz:layer";

        public Task<RawManifest> GetTopManifestAsync(CancellationToken cancellationToken) => throw new NotSupportedException("A layer blob has no manifest.");

        public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken) => Task.FromResult<Stream>(new MemoryStream(blob, writable: false));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
