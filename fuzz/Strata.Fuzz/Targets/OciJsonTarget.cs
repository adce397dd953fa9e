namespace Strata.Fuzz.Targets;

using Strata.Core;
using Strata.Oci.Model;

/// <summary>OCI/Docker manifest, index and image config JSON: every parser over the same bytes.</summary>
public sealed class OciJsonTarget : IFuzzTarget
{
    public string Name => "oci-json";

    public string Covers => "Oci/Model: ImageIndex.SniffMediaType, ImageManifest.Parse, ImageIndex.Parse, ImageConfig.Parse, JsonFields";

    public ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        // A document one parser refuses may still be what another one reads, so each runs whatever the others did.
        Each(() => ImageIndex.SniffMediaType(input, "fuzz.json"));
        Each(() => ImageManifest.Parse(input, null, "fuzz.json"));
        Each(() => ImageManifest.Parse(input, MediaTypes.DockerManifest, "fuzz.json"));
        Each(() => ImageIndex.Parse(input, null, "fuzz.json"));
        Each(() => ImageConfig.Parse(input, "fuzz.json"));
        return ValueTask.CompletedTask;
    }

    private static void Each(Func<object?> parse)
    {
        try
        {
            parse();
        }
        catch (StrataException)
        {
            // The documented refusal of bad input.
        }
    }
}
