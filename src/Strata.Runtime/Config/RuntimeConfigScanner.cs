namespace Strata.Runtime.Config;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Runtime.Seccomp;

/// <summary>Scans an OCI runtime config.json, including the seccomp profile it embeds.</summary>
public sealed class RuntimeConfigScanner : ITargetScanner
{
    /// <summary>Every runtime config check, in rule order.</summary>
    public IReadOnlyList<Check<RuntimeConfig>> Checks { get; } =
    [
        new ProcessUserIsRoot(),
        new NoNewPrivilegesOff(),
        new NoSeccomp(),
        new WritableRootFilesystem(),
        new HostNamespaceShared(),
        new PrivilegedEquivalentConfig(),
        new UserOrCgroupNamespaceMissing(),
        new SensitiveHostPathBindMounted(),
        new KernelPathsUnmasked(),
        new NoPidsLimit(),
        new HostDevicesAllowed(),
        new UnsafeSysctlSet(),
        new DangerousCapabilitiesGranted(),
        new NoMandatoryAccessControl(),
    ];

    private readonly SeccompScanner seccomp = new();

    public string Name => "runtime-config";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.RuntimeConfig };

    // The embedded seccomp checks' rules belong to the seccomp scanner, which declares them.
    public IEnumerable<Rule> Rules => Checks.Select(c => c.Rule);

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        using var source = JsonSource.Load(target.Locator, context.Limits);
        var config = new RuntimeConfig(source, target.Name);
        var checkContext = context.ChecksOf(target.Name);
        var findings = CheckRunner.Run(Checks, config, checkContext, context.Logger, cancellationToken).ToList();
        if (config.Get("linux.seccomp") is { ValueKind: System.Text.Json.JsonValueKind.Object } embedded)
        {
            findings.AddRange(CheckRunner.Run(seccomp.Checks, SeccompProfile.Parse(source, embedded, "$.linux.seccomp"), checkContext, context.Logger, cancellationToken));
        }

        return Task.FromResult<IReadOnlyList<Finding>>(findings);
    }
}
