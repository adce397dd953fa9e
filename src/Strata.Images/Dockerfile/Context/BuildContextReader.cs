namespace Strata.Images.Dockerfile.Context;

using System.Collections.Concurrent;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Secrets;

/// <summary>
/// Opens the build context of a Dockerfile target and reads what the build takes from it: the ignore file, the
/// copies, and the secret rules over every file copied (bounded by <c>context-entries</c> and <c>context-bytes</c>).
/// Nothing is written; links are never followed out of the context.
/// </summary>
public static class BuildContextReader
{
    /// <summary>The key of <c>--limits</c> that bounds the bytes read.</summary>
    public const string BytesLimitKey = "context-bytes";

    /// <summary>
    /// The build of <paramref name="dockerfile"/> with its context, and the findings of the secret rules on the files it
    /// copies (not those another target of the run reports). A context that cannot be read (past its limits, an
    /// unreadable directory, a malformed ignore file) leaves the Dockerfile alone, with a warning of the run.
    /// </summary>
    /// <param name="dockerfilePath">The Dockerfile on disk (for <c>Dockerfile.dockerignore</c>), or null from standard input.</param>
    public static async Task<(DockerfileBuild Build, IReadOnlyList<Finding> SecretFindings)> ReadAsync(
        DockerfileDocument dockerfile, ScanTarget target, string? dockerfilePath, SecretScannerProvider secrets, ScanContext scan, BuildContextCache cache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(dockerfile);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(scan);
        if (target.BuildContext is not { } source)
        {
            return (DockerfileBuild.Of(dockerfile), []);
        }

        // Nothing to read when no instruction takes from the context.
        var named = DockerfileBuild.Of(dockerfile);
        if (!dockerfile.Stages.SelectMany(s => s.Instructions).Any(TakesFromContext))
        {
            return (named, []);
        }

        BuildContext context;
        IReadOnlyList<ContextCopy> copies;
        try
        {
            if (!Directory.Exists(source.Directory))
            {
                throw StrataException.BadInput($"{source.Name}: no such directory.");
            }

            var ignore = DockerignoreFile.Find(source.Directory, dockerfilePath);
            context = new BuildContext(source.Directory, source.Name, ignore, cache.Sent(source.Directory, ignore, scan.Limits.MaxContextEntries));
            copies = ContextCopies.Resolve(dockerfile, context.Sent);
        }
        catch (Exception e) when (e is StrataException or IOException or UnauthorizedAccessException)
        {
            scan.Warnings.Add($"{target.Name}: the build context was not evaluated, so the build-context rules (DKF-080 to DKF-083) only read the Dockerfile: {e.Message}");
            return (named, []);
        }

        var files = copies.SelectMany(c => c.Paths)
            .Where(p => p.Kind == CopiedKind.File && p.ContextPath is not null && p.Size > 0)
            .DistinctBy(p => p.ContextPath, StringComparer.Ordinal)
            .OrderBy(p => p.ContextPath, StringComparer.Ordinal)
            .ToList();
        var budget = scan.Limits.MaxContextBytes;
        var toScan = new List<CopiedPath>();
        var skipped = 0;
        foreach (var file in files)
        {
            if (file.Size > budget)
            {
                skipped++;
                continue;
            }

            budget -= file.Size;
            toScan.Add(file);
        }

        if (skipped > 0)
        {
            scan.Warnings.Add($"{target.Name}: {skipped} of the {files.Count} files copied from the build context {source.Name} were not read for secrets (limit {BytesLimitKey}; raise it with --limits {BytesLimitKey}=N).");
        }

        var scanner = secrets.Scanner;
        var found = new ConcurrentDictionary<string, IReadOnlyList<SecretMatch>>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(toScan, parallel, async (file, token) =>
        {
            var path = Path.Combine(source.Directory, file.ContextPath!);
            try
            {
                // Only a regular file, and never through a link: the walk saw none on the way, and none may have appeared since.
                if (FileNodes.Stat(path, followLinks: false)?.Type != FileNodeType.Regular)
                {
                    return;
                }

                var display = context.DisplayPath(file.ContextPath!);
                var result = await cache.ScanAsync(path, display, async () =>
                {
                    await using var stream = FileNodes.OpenRegular(path, display, ExitCode.Error, bufferSize: 0);
                    // Shared by every Dockerfile that copies this file: not cancelled by one of them (a file scan is bounded).
                    return await scanner.ScanAsync(stream, display, null, CancellationToken.None);
                });

                if (result.Matches.Count > 0)
                {
                    found[file.ContextPath!] = result.Matches;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StrataException)
            {
                scan.Warnings.Add($"{context.DisplayPath(file.ContextPath!)}: not scanned for secrets: {e.Message}");
            }
        });

        // The Dockerfile's own secrets are reported on its text already.
        var dockerfileItself = dockerfilePath is null ? null : Path.GetFullPath(dockerfilePath);
        var findings = found
            .Where(f => Path.GetFullPath(Path.Combine(source.Directory, f.Key)) is var full && full != dockerfileItself && !source.SecretsReportedElsewhere.Contains(full))
            .SelectMany(f => f.Value)
            .OrderBy(m => m.Path, StringComparer.Ordinal).ThenBy(m => m.Line).ThenBy(m => m.Column)
            .Select(m =>
            {
                var finding = m.ToFinding(target.Name, StackLayer.Image);
                return finding with { Location = finding.Location with { File = m.Path, Path = null } };
            })
            .ToList();
        var build = new DockerfileBuild(dockerfile) { Context = context, Copies = copies, Secrets = new Dictionary<string, IReadOnlyList<SecretMatch>>(found, StringComparer.Ordinal) };
        return (build, findings);
    }

    /// <summary>A COPY or ADD that may read the context (not <c>--from</c>, not only URLs or here-documents).</summary>
    private static bool TakesFromContext(DockerfileInstruction instruction) =>
        instruction.Keyword is "COPY" or "ADD" && instruction.Flag("from") is null && instruction.Words is { Count: >= 2 } words
        && words.Take(words.Count - 1).Any(w => !w.StartsWith("<<", StringComparison.Ordinal) && !ContextCopies.IsRemote(w));
}
