namespace Strata.Kernel;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kernel.Checks;
using Strata.Kernel.KernelCves;

/// <summary>Scans the host Strata runs on: kernel settings and the capabilities of its own context.</summary>
/// <param name="kernelCves">The linux_kernel_cves dataset (<c>--kernel-cve-data DIR</c>) for KRN-011, or null.</param>
public sealed class HostScanner(KernelCveTable? kernelCves = null) : ITargetScanner
{
    /// <summary>Every host check, in rule order.</summary>
    public IReadOnlyList<Check<HostSnapshot>> Checks { get; } =
    [
        new UnprivilegedUserNamespaces(),
        new UnprivilegedBpf(),
        .. SysctlSetting.All,
        new KernelEscapeCve(),
        new KernelStreamCve(kernelCves),
        new CgroupV1ReleaseAgent(),
        new NfTablesReachable(),
        new HostWithoutMandatoryAccessControl(),
        new ContainerRunsUnconfined(),
        new SeccompUnavailable(),
        new RuntimeEscapeCve(),
        new ContainerWithDangerousCapabilities(),
    ];

    /// <summary>The checks of the container Strata runs in (<c>strata inside</c>, and host scans run in a container); they apply only inside one.</summary>
    public static IReadOnlyList<Check<HostSnapshot>> ContainerChecks { get; } =
    [
        new PrivilegedContainer(),
        new RuntimeSocketMounted(),
        new HostRootMounted(),
        new HostStateMounted(),
        new KernelInterfaceWritable(),
        new KernelFileUnmasked(),
        new CgroupReleaseAgentWritable(),
        new HostDevicesExposed(),
        new InHostNamespace(),
        new RootIsHostRoot(),
        new NoSeccompFilter(),
        new NoSecurityLabel(),
        new NewPrivilegesAllowed(),
        new ServiceAccountTokenMounted(),
    ];

    public string Name => "kernel";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.Host };

    public IEnumerable<Rule> Rules => Checks.Concat(ContainerChecks).Select(c => c.Rule);

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var host = new HostSnapshot(context.HostRoot);
        return Task.FromResult(CheckRunner.Run(Checks.Concat(ContainerChecks), host, context.ChecksOf(target.Name), context.Logger, cancellationToken));
    }
}
