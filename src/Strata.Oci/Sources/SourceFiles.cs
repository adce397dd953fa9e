namespace Strata.Oci.Sources;

using Strata.Core;
using Strata.Oci.Model;

/// <summary>Reads small JSON files and blob paths shared by the local sources.</summary>
internal static class SourceFiles
{
    /// <summary>The conventional blob path in an OCI layout: blobs/ALG/HEX (safe: the digest is validated).</summary>
    public static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";

    public static async Task<byte[]> ReadSmallAsync(IImageFiles files, string name, long? expectedSize, CancellationToken cancellationToken)
    {
        if (!files.Exists(name))
        {
            throw StrataException.BadInput($"{files.Origin}: {name} is missing.");
        }

        var size = files.SizeOf(name);
        if (size > Limits.MaxDocumentBytes)
        {
            throw StrataException.BadInput($"{files.Origin}: {name} is {size} bytes, more than the {Limits.MaxDocumentBytes} allowed for a JSON document.");
        }

        if (expectedSize is long expected && expected != size)
        {
            throw StrataException.BadInput($"{files.Origin}: {name} is {size} bytes but its descriptor declares {expected}.");
        }

        await using var stream = files.Open(name);
        var bytes = new byte[size];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    public static async Task<RawManifest> ReadDescribedManifestAsync(IImageFiles files, Descriptor descriptor, string origin, CancellationToken cancellationToken)
    {
        var name = BlobPath(descriptor.Digest);
        if (!files.Exists(name))
        {
            throw StrataException.BadInput($"{files.Origin}: manifest blob {descriptor.Digest} is missing ({name}).");
        }

        var bytes = await ReadSmallAsync(files, name, descriptor.Size, cancellationToken);
        return new RawManifest(bytes, descriptor.MediaType, descriptor.Digest, origin) { ExpectedSize = descriptor.Size };
    }
}
