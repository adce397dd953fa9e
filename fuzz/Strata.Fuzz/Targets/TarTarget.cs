namespace Strata.Fuzz.Targets;

using Strata.Oci.Model;

/// <summary>An uncompressed layer: the tar reader (ustar, GNU long names, PAX), entry normalisation and whiteouts.</summary>
public sealed class TarTarget : IFuzzTarget
{
    public string Name => "tar";

    public string Covers => "Oci/Layers/TarStreamReader, EntryPaths, LayerReader.ToEntry (uncompressed layer, digest and diffID verified)";

    public async ValueTask RunAsync(byte[] input, CancellationToken cancellationToken) =>
        await LayerBlob.ReadAsync(input, LayerCompression.None, cancellationToken);
}
