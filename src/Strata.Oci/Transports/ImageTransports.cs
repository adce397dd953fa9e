namespace Strata.Oci.Transports;

using System.Formats.Tar;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci.Destinations;
using Strata.Oci.Registry;
using Strata.Oci.Sources;

/// <summary>
/// The image transports Strata reads, in one table: <c>oci:</c>, <c>oci-archive:</c>, <c>docker-archive:</c>,
/// <c>dir:</c> and <c>docker://</c>. A bare reference (<c>alpine:3.20</c>) means <c>docker://</c>.
/// </summary>
public static class ImageTransports
{
    /// <summary>Most tar headers read to tell an OCI archive from a Docker one (docker save writes manifest.json last).</summary>
    private const int MaxArchiveHeadersInspected = 10_000;

    public static ImageTransport Oci { get; } = new()
    {
        Name = "oci",
        Prefix = "oci:",
        Syntax = "oci:DIR[:TAG|@DIGEST]",
        Description = "an OCI image layout directory",
        DetectedBy = "a directory holding an oci-layout file",
        Recognises = path => Directory.Exists(path) && File.Exists(Path.Combine(path, "oci-layout")),
        OpenSource = (reference, remainder, options, cancellationToken) =>
        {
            var (path, tag, digest) = SplitLayoutReference(reference, remainder);
            return Task.FromResult<IImageSource>(OciLayoutSource.OpenDirectory(reference, path, tag, digest));
        },
        OpenDestination = (reference, remainder, options) =>
        {
            var (path, tag, digest) = SplitLayoutReference(reference, remainder);
            return new OciLayoutDestination(path, tag, digest, reference);
        },
    };

    public static ImageTransport OciArchive { get; } = new()
    {
        Name = "oci-archive",
        Prefix = "oci-archive:",
        Syntax = "oci-archive:FILE[:TAG]",
        Description = "a tar of an OCI image layout",
        DetectedBy = "a tar file holding an oci-layout file",
        Recognises = path => ArchiveShapeOf(path) == ArchiveShape.OciLayout,
        OpenSource = async (reference, remainder, options, cancellationToken) =>
        {
            var (path, tag) = SplitPath(remainder);
            return await OciLayoutSource.OpenArchiveAsync(reference, path, tag, options.Limits, cancellationToken);
        },
    };

    public static ImageTransport DockerArchive { get; } = new()
    {
        Name = "docker-archive",
        Prefix = "docker-archive:",
        Syntax = "docker-archive:FILE[:REF]",
        Description = "a docker save tarball",
        DetectedBy = "a tar file holding manifest.json",
        Recognises = path => ArchiveShapeOf(path) == ArchiveShape.DockerSave,
        OpenSource = async (reference, remainder, options, cancellationToken) =>
        {
            var (path, wanted) = SplitPath(remainder);
            return await DockerArchiveSource.OpenAsync(reference, path, wanted, options.Limits, cancellationToken);
        },
    };

    public static ImageTransport Dir { get; } = new()
    {
        Name = "dir",
        Prefix = "dir:",
        Syntax = "dir:DIR",
        Description = "a skopeo dir: copy",
        DetectedBy = "a directory holding manifest.json and version",
        Recognises = path => Directory.Exists(path) && File.Exists(Path.Combine(path, "manifest.json")) && File.Exists(Path.Combine(path, "version")),
        OpenSource = (reference, remainder, options, cancellationToken) => Task.FromResult<IImageSource>(DirectorySource.Open(reference, remainder)),
    };

    public static ImageTransport Docker { get; } = new()
    {
        Name = "docker",
        Prefix = RegistryImageSource.Transport,
        Syntax = "docker://REF",
        Description = "an image in a registry",
        DetectedBy = "the prefix, or a bare REF such as alpine:3.20",
        OpenSource = (reference, remainder, options, cancellationToken) => Task.FromResult<IImageSource>(RegistryImageSource.Open(reference, options.Registry with { MaxManifestBytes = options.Limits.MaxManifestBytes })),
        OpenDestination = (reference, remainder, options) => new RegistryDestination(ImageReference.Parse(remainder), options),
    };

    /// <summary>Every transport, in the order paths are tried and help lists them.</summary>
    public static IReadOnlyList<ImageTransport> All { get; } = [Oci, OciArchive, DockerArchive, Dir, Docker];

    /// <summary>The syntaxes for help text: <c>oci:DIR[:TAG|@DIGEST], …, docker://REF</c>.</summary>
    public static string Syntaxes => string.Join(", ", All.Select(t => t.Syntax));

    /// <summary>The prefixes for messages: <c>oci:, oci-archive:, …, docker://</c>.</summary>
    public static string Prefixes => string.Join(", ", All.Select(t => t.Prefix));

    /// <summary>The transport whose prefix <paramref name="text"/> starts with, if any.</summary>
    public static ImageTransport? ByPrefix(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return All.FirstOrDefault(t => text.StartsWith(t.Prefix, StringComparison.Ordinal));
    }

    /// <summary>The transport that recognises an existing local path given without a prefix, if any.</summary>
    public static ImageTransport? Recognise(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return All.FirstOrDefault(t => t.Recognises?.Invoke(path) == true);
    }

    /// <summary>
    /// The transport reference for an image named as <c>strata image</c> and the <c>image:</c> kind accept it: a
    /// prefixed reference as it is, a local layout, archive or dir: copy with its prefix, a bare reference as
    /// <c>docker://</c>. Anything else is a usage error listing the syntaxes.
    /// </summary>
    public static string Locate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (ByPrefix(text) is not null)
        {
            return text;
        }

        if (File.Exists(text) || Directory.Exists(text))
        {
            return Recognise(text) is { } local
                ? local.Prefix + text
                : throw StrataException.Usage($"{Redaction.Quote(text, 200)}: not an image; name one as {Syntaxes}.");
        }

        return IsBareReference(text)
            ? Docker.Prefix + text
            : throw StrataException.Usage($"{Redaction.Quote(text, 200)}: no such file or directory, and not an image reference; name an image as {Syntaxes}.");
    }

    /// <summary>A registry reference without a transport, such as <c>alpine:3.20</c> or <c>localhost:5000/team/app@sha256:…</c>.</summary>
    public static bool IsBareReference(string text) => ImageReference.TryParse(text, out _, out _);

    /// <summary>Opens an image source from a transport reference.</summary>
    public static async Task<IImageSource> OpenSourceAsync(string reference, ImageOpenOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        var transport = ByPrefix(reference)
            ?? throw StrataException.Usage($"'{Redaction.Quote(reference, 200)}': unknown transport; expected one of {Syntaxes}.");
        var remainder = reference[transport.Prefix.Length..];
        if (remainder.Length == 0)
        {
            throw StrataException.Usage($"'{Redaction.Quote(reference, 200)}': nothing after '{transport.Prefix}'; expected {transport.Syntax}.");
        }

        return await transport.OpenSource(reference, remainder, options, cancellationToken);
    }

    /// <summary>oci:PATH[:TAG] or oci:PATH@DIGEST. The path ends at the first ':' (as in containers/image), so tags may not hold one.</summary>
    private static (string Path, string? Tag, Digest? Digest) SplitLayoutReference(string reference, string remainder)
    {
        var at = remainder.LastIndexOf('@');
        if (at > 0 && Digest.TryParse(remainder[(at + 1)..], out var digest))
        {
            return (remainder[..at], null, digest);
        }

        var (path, tag) = SplitPath(remainder);
        if (tag is not null && tag.StartsWith('@'))
        {
            throw StrataException.Usage($"'{Redaction.Quote(reference, 200)}': '{Redaction.Quote(tag)}' is not a digest (expected @sha256:<64 hex>).");
        }

        return (path, tag, null);
    }

    private static (string Path, string? Tag) SplitPath(string remainder)
    {
        var colon = remainder.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (remainder, null) : (remainder[..colon], remainder[(colon + 1)..] is { Length: > 0 } tag ? tag : null);
    }

    private enum ArchiveShape
    {
        None,
        OciLayout,
        DockerSave,
    }

    /// <summary>
    /// Tells an OCI archive from a docker save tarball by its member names, reading headers only (the file is
    /// seekable, so content is skipped). docker save from Docker 25 on writes both; the OCI layout is preferred.
    /// Anything that is not a readable tar is neither.
    /// </summary>
    private static ArchiveShape ArchiveShapeOf(string path)
    {
        if (!File.Exists(path))
        {
            return ArchiveShape.None;
        }

        var sawManifest = false;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
            if (!stream.CanSeek || stream.Length < 1024)
            {
                return ArchiveShape.None;
            }

            using var reader = new TarReader(stream, leaveOpen: true);
            for (var i = 0; i < MaxArchiveHeadersInspected && reader.GetNextEntry(copyData: false) is { } entry; i++)
            {
                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (name == "oci-layout")
                {
                    return ArchiveShape.OciLayout;
                }

                sawManifest |= name == "manifest.json";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException or OverflowException)
        {
            return ArchiveShape.None;
        }

        return sawManifest ? ArchiveShape.DockerSave : ArchiveShape.None;
    }
}
