namespace Strata.Oci.Layers;

using Strata.Oci.Model;

/// <summary>Tells compression from a blob's first bytes (docker-archive layer.tar files carry no media type).</summary>
public static class CompressionDetector
{
    public static LayerCompression Detect(ReadOnlySpan<byte> magic)
    {
        if (magic.Length >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return LayerCompression.Gzip;
        }

        if (magic.Length >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        {
            return LayerCompression.Zstd;
        }

        return LayerCompression.None;
    }
}
