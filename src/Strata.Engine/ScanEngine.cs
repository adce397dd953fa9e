namespace Strata.Engine;

using System.Reflection;
using Microsoft.Extensions.Logging;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Ignoring;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Engine.Targets;
using Strata.Secrets;

/// <summary>What a scan should do beyond choosing targets.</summary>
public sealed record ScanOptions
{
    /// <summary>Only findings of these severities are reported; null means all.</summary>
    public IReadOnlySet<Severity>? Severities { get; init; }

    public IReadOnlyList<IgnoreEntry> IgnoreEntries { get; init; } = [];

    public string IgnoreSource { get; init; } = IgnoreFile.DefaultName;

    public DateOnly Today { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Full paths of the configuration files this run applies (ignore file, secret configuration); discovery does not warn about them.</summary>
    public IReadOnlyCollection<string> AppliedConfiguration { get; init; } = [];
}

/// <summary>Runs every scanner that applies to each target and assembles the report.</summary>
public sealed partial class ScanEngine
{
    private readonly ScannerRegistry registry;

    public ScanEngine(ScannerRegistry registry)
    {
        this.registry = registry;
    }

    public static string ToolVersion =>
        typeof(ScanEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Scans every target; one that fails (cannot be resolved, read or parsed) fails alone, with its error in the
    /// report, and the others are still scanned. A directory of source is expanded into a target per file it holds.
    /// </summary>
    public async Task<ScanReport> ScanAsync(IReadOnlyList<ScanTarget> targets, ScanOptions options, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var results = new List<TargetResult>();
        var all = new List<Finding>();
        var warnings = new List<string>();
        for (var i = 0; i < targets.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = targets[i];
            context.Progress?.Report(new ScanProgress($"scanning {target.Name}", i, targets.Count));
            if (target.Note is { } note)
            {
                warnings.Add($"{target.Name}: {note}");
            }

            if (target.Error is { } unresolved)
            {
                results.Add(new TargetResult(target, [], 0, SecretText.MaskMessage(unresolved)));
                continue;
            }

            if (!SourceTree.IsTree(target))
            {
                await ScanOneAsync(target, results, all, warnings, context, cancellationToken);
                continue;
            }

            SourceTreeContents contents;
            try
            {
                contents = SourceTree.Discover(target, options.AppliedConfiguration, cancellationToken, context.Limits);
            }
            catch (Exception e) when (IsTargetFailure(e, cancellationToken))
            {
                results.Add(Failed(target, [], e, context));
                continue;
            }

            warnings.AddRange(contents.Warnings);
            await ScanFilesAsync(contents.Targets, results, all, warnings, context, cancellationToken);

            if (target.Kind == TargetKind.SourceTree)
            {
                await ScanOneAsync(target with { Files = contents.OtherFiles }, results, all, warnings, context, cancellationToken);
            }
            else if (contents.Targets.Count == 0)
            {
                warnings.Add($"{target.Name}: no {target.Kind.ToName()} files under {target.Locator}.");
                results.Add(new TargetResult(target, [], 0, null));
            }
        }

        context.Progress?.Report(new ScanProgress("done", targets.Count, targets.Count));
        warnings.AddRange(context.Warnings.Take());
        var outcome = IgnoreMatcher.Apply(all, options.IgnoreEntries, options.Today, options.IgnoreSource, options.IgnoreEntries.Count > 0 ? registry.Catalog : null);
        warnings.AddRange(outcome.Warnings);
        var kept = options.Severities is null ? outcome.Kept : [.. outcome.Kept.Where(f => options.Severities.Contains(f.Severity))];
        var counts = kept.CountBy(f => f.Target, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        return new ScanReport
        {
            ToolVersion = ToolVersion,
            CreatedAt = DateTimeOffset.UtcNow,
            Targets = [.. results.Select(r => r with { FindingCount = counts.GetValueOrDefault(r.Target.Name) })],
            Findings = ScanReport.Order(kept),
            Suppressed = outcome.Suppressed,
            Warnings = [.. warnings.Select(SecretText.MaskMessage)],
        };
    }

    /// <summary>
    /// The files a directory holds: documents (Dockerfiles, manifests, profiles, configs) on every core at once, each
    /// into its own lists, merged in file order so the report does not depend on timing; anything else one at a time.
    /// </summary>
    private async Task ScanFilesAsync(IReadOnlyList<ScanTarget> files, List<TargetResult> results, List<Finding> all, List<string> warnings, ScanContext context, CancellationToken cancellationToken)
    {
        if (files.Count < 2 || files.Any(f => !f.Kind.IsFileKind()))
        {
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await ScanOneAsync(file, results, all, warnings, context, cancellationToken);
            }

            return;
        }

        var each = new (List<TargetResult> Results, List<Finding> Findings, List<string> Warnings)[files.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, files.Count, parallel, async (index, token) =>
        {
            var one = (new List<TargetResult>(), new List<Finding>(), new List<string>());
            await ScanOneAsync(files[index], one.Item1, one.Item2, one.Item3, context, token);
            each[index] = one;
        });

        foreach (var (fileResults, fileFindings, fileWarnings) in each)
        {
            results.AddRange(fileResults);
            all.AddRange(fileFindings);
            warnings.AddRange(fileWarnings);
        }
    }

    private async Task ScanOneAsync(ScanTarget target, List<TargetResult> results, List<Finding> all, List<string> warnings, ScanContext context, CancellationToken cancellationToken)
    {
        var scanners = registry.For(target.Kind).ToList();
        if (scanners.Count == 0)
        {
            var message = $"no scanner handles {target.Kind.ToName()} targets yet";
            warnings.Add($"{target.Name}: {message}.");
            results.Add(new TargetResult(target, [], 0, message));
            return;
        }

        // Scanners fold what they produce past the cap as they go; this folds what several scanners of one target add up to.
        var found = new FindingCollector(context.Limits.MaxFindingsPerRule);
        foreach (var scanner in scanners)
        {
            LogScanning(context.Logger, scanner.Name, target.Name);
            try
            {
                found.AddRange(await scanner.ScanAsync(target, context, cancellationToken));
            }
            catch (Exception e) when (IsTargetFailure(e, cancellationToken))
            {
                // What was found before the failure is still reported; the error says the findings are incomplete.
                Collect(target, found, all, warnings);
                results.Add(Failed(target, [.. scanners.Select(s => s.Name)], e, context));
                return;
            }
        }

        var count = Collect(target, found, all, warnings);
        results.Add(new TargetResult(target, [.. scanners.Select(s => s.Name)], count, null));
    }

    private static int Collect(ScanTarget target, FindingCollector found, List<Finding> all, List<string> warnings)
    {
        var findings = found.ToList();
        all.AddRange(findings);
        if (found.Folded > 0)
        {
            var summaries = findings.Count(f => f.Folded > 0);
            warnings.Add(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{target.Name}: {found.Folded:N0} more findings are folded into {summaries} summary finding{(summaries == 1 ? string.Empty : "s")}: at most {found.MaxPerRule} per rule and target are listed (--limits findings-per-rule=N lists more)."));
        }

        return findings.Count;
    }

    /// <summary>
    /// Anything a target throws fails that target only, malformed input and I/O errors as much as Strata's own errors,
    /// so one bad file cannot take the other targets' results with it. Only the user's cancellation ends the run.
    /// </summary>
    private static bool IsTargetFailure(Exception e, CancellationToken cancellationToken) =>
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested) && e is not OutOfMemoryException;

    private static TargetResult Failed(ScanTarget target, IReadOnlyList<string> scanners, Exception e, ScanContext context)
    {
        // The CLI prints the error once, from the report; the log line carries the details --debug asks for.
        LogTargetFailed(context.Logger, target.Name, e);

        // Messages quote their input through Redaction.Quote, and so does the name of a target that failed (it is what
        // the user typed, which may be anything); masking the message again is the last check before any report.
        return new TargetResult(target with { Name = Redaction.Quote(target.Name, 200) }, scanners, 0, SecretText.MaskMessage(e is StrataException ? e.Message : $"{e.GetType().Name}: {e.Message}"));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Running {Scanner} on {Target}")]
    private static partial void LogScanning(ILogger logger, string scanner, string target);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Target} failed")]
    private static partial void LogTargetFailed(ILogger logger, string target, Exception exception);
}
