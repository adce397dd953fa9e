namespace Strata.Images.Dockerfile.Context;

using System.Collections.Concurrent;
using System.Globalization;
using Strata.Secrets;

/// <summary>
/// What the Dockerfiles of one run share about their build contexts: many Dockerfiles in one directory (a monorepo,
/// <c>Dockerfile.*</c> variants) have the same context, which is walked once and whose files are scanned for secrets
/// once, not once per Dockerfile. Keys include each file's size and modification time, so a file that changes between
/// two runs with the same scanner (tests) is read again.
/// </summary>
public sealed class BuildContextCache
{
    private readonly ConcurrentDictionary<string, Lazy<SentContext>> contexts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<SecretFileResult>>> scans = new(StringComparer.Ordinal);

    /// <summary>The sent context of <paramref name="root"/> with <paramref name="ignore"/>, walked lazily and shared.</summary>
    public SentContext Sent(string root, DockerignoreFile ignore, int maxEntries)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(ignore);
        var stamp = ignore.Path is { } path && new FileInfo(path) is { Exists: true } info ? Stamp(info) : "-";
        var key = string.Join('\u0000', root, ignore.Path ?? string.Empty, stamp, maxEntries.ToString(CultureInfo.InvariantCulture));
        return contexts.GetOrAdd(key, _ => new Lazy<SentContext>(() => new SentContext(root, ignore.Patterns, maxEntries))).Value;
    }

    /// <summary>The secret scan of the file at <paramref name="fullPath"/> as <paramref name="display"/> names it, run once per file version.</summary>
    public Task<SecretFileResult> ScanAsync(string fullPath, string display, Func<Task<SecretFileResult>> scan)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        ArgumentNullException.ThrowIfNull(display);
        ArgumentNullException.ThrowIfNull(scan);
        var info = new FileInfo(fullPath);
        var key = string.Join('\u0000', fullPath, display, info.Exists ? Stamp(info) : "-");
        return scans.GetOrAdd(key, _ => new Lazy<Task<SecretFileResult>>(scan)).Value;
    }

    private static string Stamp(FileInfo info) => string.Create(CultureInfo.InvariantCulture, $"{info.Length}:{info.LastWriteTimeUtc.Ticks}");
}
