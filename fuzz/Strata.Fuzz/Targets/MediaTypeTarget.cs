namespace Strata.Fuzz.Targets;

using System.Reflection;
using Strata.Oci.Registry;

/// <summary>A manifest body whose media type the registry did not say (Content-Type application/json), read for its own <c>mediaType</c>.</summary>
public sealed class MediaTypeTarget : IFuzzTarget
{
    // BodyMediaType is internal to Strata.Oci and reached only through HTTP; the delegate calls it directly,
    // without adding the fuzz project to the library's friends. The test over the corpus fails if it is renamed.
    private static readonly MediaTypeReader Read = typeof(RegistryClient)
        .GetMethod("BodyMediaType", BindingFlags.NonPublic | BindingFlags.Static)!
        .CreateDelegate<MediaTypeReader>();

    private delegate string? MediaTypeReader(byte[] bytes, string context);

    public string Name => "media-type";

    public string Covers => "Oci/Registry/RegistryClient.BodyMediaType (schema 1 refused, mediaType, ManifestMediaTypes), JsonStrings";

    public ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        Read(input, "registry.example/team/app:1");
        return ValueTask.CompletedTask;
    }
}
