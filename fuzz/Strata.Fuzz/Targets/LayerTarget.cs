namespace Strata.Fuzz.Targets;

using Strata.Oci.Layers;

/// <summary>A layer blob compressed as its first bytes say (gzip, zstd, or none), decompression bounded.</summary>
public sealed class LayerTarget : IFuzzTarget
{
    public string Name => "layer";

    public string Covers => "Oci/Layers/CompressionDetector, LayerReader (gzip, zstd), DecompressionGuard, UncompressedBudget, then the tar reader";

    public async ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        await LayerBlob.ReadAsync(input, CompressionDetector.Detect(input), cancellationToken);
    }
}
