namespace Strata.Images.Dockerfile;

using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Dockerfile.Checks;

/// <summary>Lints a Dockerfile or Containerfile.</summary>
public sealed class DockerfileScanner : ITargetScanner
{
    private readonly IReadOnlyList<IDockerfileCheck> checks = [new LastUserIsRoot()];

    public string Name => "dockerfile";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.Dockerfile };

    public IEnumerable<Rule> Rules => checks.Select(c => c.Rule);

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var document = DockerfileParser.Load(target.Locator) with { File = target.Name };
        IReadOnlyList<Finding> findings = [.. checks.SelectMany(c => c.Evaluate(document, target.Name))];
        return Task.FromResult(findings);
    }
}
