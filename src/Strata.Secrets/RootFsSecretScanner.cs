namespace Strata.Secrets;

using System.Collections.Concurrent;
using System.IO.Enumeration;

/// <summary>The outcome of scanning a directory tree.</summary>
public sealed record RootFsScanResult
{
    public required IReadOnlyList<SecretMatch> Matches { get; init; }

    public int FilesScanned { get; init; }

    public int FilesBinary { get; init; }

    public int FilesAllowed { get; init; }

    public int FilesTruncated { get; init; }

    /// <summary>Files that could not be read (permissions, vanished during the scan), with the reason.</summary>
    public IReadOnlyList<string> Unreadable { get; init; } = [];

    public long BytesScanned { get; init; }

    /// <summary>Regex windows abandoned at their time limit, over all files.</summary>
    public int RegexTimeouts { get; init; }
}

/// <summary>
/// Scans a directory tree, such as an unpacked root filesystem (like <c>trivy rootfs</c>): dotfiles
/// and dot-directories included, symbolic links never followed, special files skipped, files
/// scanned in parallel with a bounded degree. Paths in results are absolute within the tree
/// (<c>/etc/app.conf</c>).
/// </summary>
public sealed class RootFsSecretScanner(SecretScanner scanner)
{
    public SecretScanner Scanner { get; } = scanner ?? throw new ArgumentNullException(nameof(scanner));

    public async Task<RootFsScanResult> ScanAsync(string root, object? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw Core.StrataException.Usage($"{root}: not a directory.");
        }

        var results = new ConcurrentBag<SecretFileResult>();
        var unreadable = new ConcurrentBag<string>();
        var allowed = 0;
        var files = EnumerateRegularFiles(full, () => Interlocked.Increment(ref allowed));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Scanner.Options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(files, parallel, async (file, token) =>
        {
            try
            {
                results.Add(await Scanner.ScanFileAsync(file.FullPath, file.DisplayPath, context, token));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                unreadable.Add($"{file.DisplayPath}: {e.Message}");
            }
        });

        var all = results.ToList();
        return new RootFsScanResult
        {
            Matches = [.. all.SelectMany(r => r.Matches).OrderBy(m => m.Path, StringComparer.Ordinal).ThenBy(m => m.Line).ThenBy(m => m.Column)],
            FilesScanned = all.Count(r => r.Disposition is SecretFileDisposition.Scanned or SecretFileDisposition.Truncated),
            FilesBinary = all.Count(r => r.Disposition == SecretFileDisposition.Binary),
            FilesTruncated = all.Count(r => r.Disposition == SecretFileDisposition.Truncated),
            FilesAllowed = allowed,
            Unreadable = [.. unreadable.Order(StringComparer.Ordinal)],
            BytesScanned = all.Sum(r => r.BytesScanned),
            RegexTimeouts = all.Sum(r => r.RegexTimeouts),
        };
    }

    /// <summary>
    /// Regular files of the tree. Directories that are symbolic links are not entered and links
    /// to files are not listed. Special files (devices, FIFOs, sockets) report a length of zero,
    /// so skipping empty files also keeps a scan from blocking on a FIFO or reading /dev/zero.
    /// </summary>
    private IEnumerable<(string FullPath, string DisplayPath)> EnumerateRegularFiles(string root, Action onAllowed)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = true,
            ReturnSpecialDirectories = false,
            MatchType = MatchType.Simple,
        };
        var rootLength = root.TrimEnd('/').Length;
        var enumerable = new FileSystemEnumerable<(string, string)>(
            root,
            (ref FileSystemEntry entry) =>
            {
                var fullPath = entry.ToFullPath();
                return (fullPath, fullPath[rootLength..]);
            },
            options)
        {
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                !entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) == 0 && entry.Length > 0,
        };

        foreach (var file in enumerable)
        {
            if (Scanner.IsPathAllowed(file.Item2))
            {
                onAllowed();
                continue;
            }

            yield return file;
        }
    }
}
