namespace Strata.Runtime.Seccomp;

using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;

/// <summary>Scans a seccomp profile file.</summary>
public sealed class SeccompScanner : ITargetScanner
{
    private readonly IReadOnlyList<ISeccompCheck> checks = [new DefaultAllow(), new DangerousSyscallsAllowed(), new UnfilteredClone()];

    public string Name => "seccomp";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.SeccompProfile };

    public IEnumerable<Rule> Rules => checks.Select(c => c.Rule);

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var source = JsonSource.Load(target.Locator);
        var profile = SeccompProfile.Parse(source);
        IReadOnlyList<Finding> findings = [.. checks.SelectMany(c => c.Evaluate(profile, target.Name, target.Name))];
        return Task.FromResult(findings);
    }

    /// <summary>Checks a profile embedded elsewhere (an OCI runtime config's linux.seccomp).</summary>
    public IEnumerable<Finding> Evaluate(SeccompProfile profile, string file, string target) => checks.SelectMany(c => c.Evaluate(profile, file, target));
}
