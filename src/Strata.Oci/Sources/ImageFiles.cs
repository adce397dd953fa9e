namespace Strata.Oci.Sources;

using Strata.Core;
using Strata.Oci.Layers;

/// <summary>Named files of an image store, whether a directory on disk or the members of a tar archive.</summary>
internal interface IImageFiles
{
    /// <summary>Names the store in errors, e.g. "oci:/tmp/layout".</summary>
    string Origin { get; }

    bool Exists(string name);

    /// <summary>Opens a file by its relative name; a missing file is a <see cref="StrataException"/> naming it.</summary>
    Stream Open(string name);

    long SizeOf(string name);
}

/// <summary>Files under a directory. Names come from fixed file names or validated digests, never from image content.</summary>
internal sealed class DirectoryImageFiles(string root, string origin) : IImageFiles
{
    public string Origin => origin;

    public bool Exists(string name) => File.Exists(Path.Combine(root, name));

    /// <summary>Opens a regular file only: a FIFO or device planted in the layout is refused, never waited on.</summary>
    public Stream Open(string name)
    {
        var path = Path.Combine(root, name);
        if (!File.Exists(path))
        {
            throw StrataException.BadInput($"{origin}: {name} is missing.");
        }

        return FileNodes.OpenRegular(path, $"{origin}: {name}", ExitCode.Error, 64 * 1024);
    }

    public long SizeOf(string name) => new FileInfo(Path.Combine(root, name)).Length;
}

/// <summary>
/// The members of a tar archive, indexed in one pass over its headers; each member is then read in place
/// (a seek and a bounded read), so nothing is extracted to disk.
/// </summary>
internal sealed class TarArchiveFiles : IImageFiles
{
    private const int MaxLinkHops = 8;
    private readonly string path;
    private readonly Dictionary<string, Member> members;

    private TarArchiveFiles(string path, string origin, Dictionary<string, Member> members)
    {
        this.path = path;
        Origin = origin;
        this.members = members;
    }

    public string Origin { get; }

    public static async Task<TarArchiveFiles> IndexAsync(string path, string origin, Limits limits, CancellationToken cancellationToken)
    {
        var members = new Dictionary<string, Member>(StringComparer.Ordinal);
        await using var stream = FileNodes.OpenRegular(path);
        var reader = new TarStreamReader(stream, limits, origin);
        while (await reader.NextAsync(cancellationToken) is { } header)
        {
            var name = Normalize(header.Name);
            if (name.Length == 0)
            {
                continue;
            }

            members[name] = new Member(header.TypeFlag, reader.DataOffset, header.Size, header.LinkName);
        }

        return new TarArchiveFiles(path, origin, members);
    }

    public bool Exists(string name) => Resolve(name, throwIfMissing: false) is not null;

    public Stream Open(string name)
    {
        var member = Resolve(name, throwIfMissing: true)!;
        var stream = FileNodes.OpenRegular(path, bufferSize: 64 * 1024);
        return new BoundedReadStream(stream, member.Offset, member.Size);
    }

    public long SizeOf(string name) => Resolve(name, throwIfMissing: true)!.Size;

    /// <summary>Follows in-archive symlinks and hard links (legacy docker save links duplicate layer.tar files).</summary>
    private Member? Resolve(string name, bool throwIfMissing)
    {
        var current = Normalize(name);
        for (var hop = 0; hop <= MaxLinkHops; hop++)
        {
            if (!members.TryGetValue(current, out var member))
            {
                return throwIfMissing ? throw StrataException.BadInput($"{Origin}: archive member {name} is missing.") : null;
            }

            switch (member.Type)
            {
                case '0':
                    return member;
                case '1':
                    current = Normalize(member.LinkName);
                    break;
                case '2':
                    var directory = current.Contains('/', StringComparison.Ordinal) ? current[..current.LastIndexOf('/')] : string.Empty;
                    current = Normalize(member.LinkName.StartsWith('/') ? member.LinkName : directory + "/" + member.LinkName);
                    break;
                default:
                    return throwIfMissing ? throw StrataException.BadInput($"{Origin}: archive member {name} is not a regular file.") : null;
            }
        }

        throw StrataException.BadInput($"{Origin}: archive member {name}: too many links.");
    }

    private static string Normalize(string name) => LexicalPath.Fold(name);

    private sealed record Member(char Type, long Offset, long Size, string LinkName);
}
