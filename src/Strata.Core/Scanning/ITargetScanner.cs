namespace Strata.Core.Scanning;

using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Targets;

/// <summary>
/// A scanner for one or more kinds of target, e.g. the kernel checks for <c>host</c>, the Dockerfile
/// linter for Dockerfiles. Scanners are registered in one place (the engine) and declare their rules,
/// which the catalog collects.
/// </summary>
public interface ITargetScanner
{
    /// <summary>A short name for logs, e.g. <c>kernel</c>.</summary>
    string Name { get; }

    /// <summary>The target kinds this scanner handles.</summary>
    IReadOnlySet<TargetKind> Kinds { get; }

    /// <summary>Every rule this scanner can report.</summary>
    IEnumerable<Rule> Rules { get; }

    Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken);
}
