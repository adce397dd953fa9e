namespace Strata.Engine.Targets;

using System.Collections.Concurrent;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Secrets;

/// <summary>
/// The secret rules over the files no other scanner reads: the rest of a source tree (everything but its Dockerfiles and
/// manifests, whose scanners run the secret rules themselves) and a file of no known kind. Findings name each file as
/// the user named the tree (<c>repo/app/.env</c>) and belong to the application layer.
/// </summary>
public sealed class SourceTreeSecretScanner : ITargetScanner
{
    private readonly SecretScannerProvider secrets;

    /// <param name="secrets">The run's secret scanner (its configuration), shared with every other scanner of <c>SEC-</c> rules.</param>
    public SourceTreeSecretScanner(SecretScannerProvider secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        this.secrets = secrets;
    }

    /// <summary>None: the secret rules are data run by the shared secret scanner, not checks.</summary>
    public IReadOnlyList<Check<ScanTarget>> Checks { get; } = [];

    public string Name => "secrets";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.SourceTree, TargetKind.File };

    public IEnumerable<Rule> Rules => secrets.Rules;

    public async Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);

        var scanner = secrets.Scanner;
        IEnumerable<(string Path, string Name)> files = target.Kind == TargetKind.File
            ? [(target.Locator, target.Name)]
            : (target.Files ?? SourceTree.Discover(target, [], cancellationToken).OtherFiles)
                .Select(relative => (Path.Combine(target.Locator, relative), SourceTree.DisplayName(target, relative)));

        var matches = new ConcurrentBag<SecretMatch>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(files, parallel, async (file, token) =>
        {
            try
            {
                foreach (var match in (await scanner.ScanFileAsync(file.Path, file.Name, null, token)).Matches)
                {
                    matches.Add(match);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A gap in the scan, so a warning of the report rather than only a log line.
                context.Warnings.Add($"{file.Name}: not scanned for secrets: {e.Message}");
            }
        });

        return [.. matches
            .OrderBy(m => m.Path, StringComparer.Ordinal).ThenBy(m => m.Line).ThenBy(m => m.Column)
            .Select(m =>
            {
                var finding = m.ToFinding(target.Name, StackLayer.Application);
                return finding with { Location = finding.Location with { File = m.Path, Path = null } };
            })];
    }
}
