namespace Strata.Oci.Sources;

using Strata.Core;
using Strata.Core.Documents;
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

        // Bytes are counted as they are read: a size from stat is only what the file was a moment ago.
        await using var stream = files.Open(name);
        var bytes = await BoundedFile.ReadAllAsync(stream, Limits.Default.MaxDocumentBytes, $"{files.Origin}: {name}", "a JSON document", cancellationToken);
        if (expectedSize is long expected && expected != bytes.Length)
        {
            throw StrataException.BadInput($"{files.Origin}: {name} is {bytes.Length} bytes but its descriptor declares {expected}.");
        }

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
