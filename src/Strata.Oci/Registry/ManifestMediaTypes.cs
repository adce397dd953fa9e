namespace Strata.Oci.Registry;

using Strata.Oci.Model;

/// <summary>The manifest media types a registry may serve, in the order we ask for them.</summary>
public static class ManifestMediaTypes
{
    public const string OciIndex = MediaTypes.OciIndex;
    public const string OciManifest = MediaTypes.OciManifest;
    public const string DockerManifestList = MediaTypes.DockerManifestList;
    public const string DockerManifest = MediaTypes.DockerManifest;
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>Schema 1 is accepted only so that a registry serving it gets a clear "unsupported" error rather than a 404.</summary>
    public static IReadOnlyList<string> Accepted { get; } =
        [OciIndex, OciManifest, DockerManifestList, DockerManifest, DockerSchema1Signed, DockerSchema1];

    /// <summary>Whether a descriptor of this media type lives under <c>/manifests/</c> rather than <c>/blobs/</c>.</summary>
    public static bool IsManifest(string? mediaType) =>
        mediaType is OciIndex or OciManifest or DockerManifestList or DockerManifest or DockerSchema1 or DockerSchema1Signed;

    public static bool IsSchema1(string? mediaType) => mediaType is DockerSchema1 or DockerSchema1Signed;
}
