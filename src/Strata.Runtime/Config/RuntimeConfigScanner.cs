namespace Strata.Runtime.Config;

using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Runtime.Seccomp;

/// <summary>Scans an OCI runtime config.json, including the seccomp profile it embeds.</summary>
public sealed class RuntimeConfigScanner : ITargetScanner
{
    private readonly IReadOnlyList<IRuntimeConfigCheck> checks =
    [
        new RunsAsRoot(),
        new NoNewPrivilegesOff(),
        new NoSeccomp(),
        new WritableRootFilesystem(),
        new HostNamespaceShared(),
        new DangerousCapabilitiesGranted(),
        new NoMandatoryAccessControl(),
    ];

    private readonly SeccompScanner seccomp = new();

    public string Name => "runtime-config";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.RuntimeConfig };

    // The embedded seccomp checks' rules belong to the seccomp scanner, which declares them.
    public IEnumerable<Rule> Rules => checks.Select(c => c.Rule);

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var source = JsonSource.Load(target.Locator);
        var config = new RuntimeConfig(source, target.Name);
        var findings = checks.SelectMany(c => c.Evaluate(config, target.Name)).ToList();
        if (config.Get("linux.seccomp") is { ValueKind: System.Text.Json.JsonValueKind.Object } embedded)
        {
            findings.AddRange(seccomp.Evaluate(SeccompProfile.Parse(source, embedded, "$.linux.seccomp"), target.Name, target.Name));
        }

        return Task.FromResult<IReadOnlyList<Finding>>(findings);
    }
}
