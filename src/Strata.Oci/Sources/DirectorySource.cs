namespace Strata.Oci.Sources;

using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci.Model;
using Strata.Oci.Transports;

/// <summary>skopeo's <c>dir:DIR</c> format: manifest.json, version, and blobs named by their hex digest.</summary>
public sealed class DirectorySource : IImageSource
{
    private readonly DirectoryImageFiles files;
    private readonly string directory;

    private DirectorySource(string reference, string directory)
    {
        Reference = reference;
        this.directory = directory;
        files = new DirectoryImageFiles(directory, ImageTransports.Dir.Prefix + directory);
    }

    public string Reference { get; }

    public static DirectorySource Open(string reference, string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw StrataException.Usage($"{Redaction.Quote(reference, 200)}: directory {Redaction.Quote(directory, 200)} does not exist.");
        }

        return new DirectorySource(reference, directory);
    }

    public async Task<RawManifest> GetTopManifestAsync(CancellationToken cancellationToken)
    {
        if (files.Exists("version"))
        {
            var version = await SourceFiles.ReadSmallAsync(files, "version", null, cancellationToken);
            if (!System.Text.Encoding.UTF8.GetString(version).StartsWith("Directory Transport Version: 1.", StringComparison.Ordinal))
            {
                throw StrataException.BadInput($"{files.Origin}: version file is not 'Directory Transport Version: 1.x'.");
            }
        }

        var bytes = await SourceFiles.ReadSmallAsync(files, "manifest.json", null, cancellationToken);
        var mediaType = ImageIndex.SniffMediaType(bytes, $"{files.Origin}/manifest.json");
        return new RawManifest(bytes, mediaType, null, $"{files.Origin}/manifest.json");
    }

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var name = descriptor.Digest.Algorithm == "sha256" ? descriptor.Digest.Hex : descriptor.Digest.ToString();
        if ((MediaTypes.IsManifest(descriptor.MediaType) || MediaTypes.IsIndex(descriptor.MediaType)) && files.Exists(name + ".manifest.json"))
        {
            name += ".manifest.json";
        }

        if (!files.Exists(name))
        {
            throw StrataException.BadInput($"{files.Origin}: blob {descriptor.Digest} ({descriptor.MediaType}) is missing.");
        }

        return Task.FromResult(files.Open(name));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
