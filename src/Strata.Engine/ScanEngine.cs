namespace Strata.Engine;

using System.Reflection;
using Microsoft.Extensions.Logging;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Ignoring;
using Strata.Core.Scanning;
using Strata.Core.Targets;

/// <summary>What a scan should do beyond choosing targets.</summary>
public sealed record ScanOptions
{
    /// <summary>Only findings of these severities are reported; null means all.</summary>
    public IReadOnlySet<Severity>? Severities { get; init; }

    public IReadOnlyList<IgnoreEntry> IgnoreEntries { get; init; } = [];

    public string IgnoreSource { get; init; } = IgnoreFile.DefaultName;

    public DateOnly Today { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow);
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
            var target = targets[i];
            context.Progress?.Report(new ScanProgress($"scanning {target.Name}", i, targets.Count));
            var scanners = registry.For(target.Kind).ToList();
            if (scanners.Count == 0)
            {
                var message = $"no scanner handles {target.Kind.ToName()} targets yet";
                warnings.Add($"{target.Name}: {message}.");
                results.Add(new TargetResult(target, [], 0, message));
                continue;
            }

            var found = new List<Finding>();
            string? error = null;
            foreach (var scanner in scanners)
            {
                LogScanning(context.Logger, scanner.Name, target.Name);
                try
                {
                    found.AddRange(await scanner.ScanAsync(target, context, cancellationToken));
                }
                catch (StrataException e)
                {
                    error = e.Message;
                    LogTargetFailed(context.Logger, target.Name, e.Message);
                    break;
                }
            }

            all.AddRange(found);
            results.Add(new TargetResult(target, [.. scanners.Select(s => s.Name)], found.Count, error));
        }

        context.Progress?.Report(new ScanProgress("done", targets.Count, targets.Count));
        var outcome = IgnoreMatcher.Apply(all, options.IgnoreEntries, options.Today, options.IgnoreSource, registry.Catalog);
        warnings.AddRange(outcome.Warnings);
        var kept = options.Severities is null ? outcome.Kept : [.. outcome.Kept.Where(f => options.Severities.Contains(f.Severity))];
        return new ScanReport
        {
            ToolVersion = ToolVersion,
            CreatedAt = DateTimeOffset.UtcNow,
            Targets = [.. results.Select(r => r with { FindingCount = kept.Count(f => f.Target == r.Target.Name) })],
            Findings = ScanReport.Order(kept),
            Suppressed = outcome.Suppressed,
            Warnings = warnings,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Running {Scanner} on {Target}")]
    private static partial void LogScanning(ILogger logger, string scanner, string target);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Target}: {Error}")]
    private static partial void LogTargetFailed(ILogger logger, string target, string error);
}
