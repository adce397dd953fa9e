namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;

/// <summary>Scans one container engine's configuration file: Docker's daemon.json, containerd's config.toml or CRI-O's crio.conf.</summary>
public sealed class EngineConfigScanner : ITargetScanner
{
    private readonly TargetKind kind;

    private EngineConfigScanner(string name, TargetKind kind, IReadOnlyList<Check<EngineConfig>> checks)
    {
        Name = name;
        this.kind = kind;
        Kinds = new HashSet<TargetKind> { kind };
        Checks = checks;
    }

    /// <summary>Docker's /etc/docker/daemon.json.</summary>
    public static EngineConfigScanner DockerDaemon() => new("docker-daemon", TargetKind.DockerDaemonConfig,
    [
        new InterContainerTrafficOpen(),
        new NoUserNamespaceRemap(),
        new DaemonAllowsNewPrivileges(),
        new LiveRestoreOff(),
        new DaemonSeccompUnconfined(),
        new NoDefaultUlimits(),
        new InsecureRegistryAllowed(),
        new UnauthenticatedTcpSocket(),
    ]);

    /// <summary>containerd's /etc/containerd/config.toml (version 2 and 3 layouts).</summary>
    public static EngineConfigScanner Containerd() => new("containerd", TargetKind.ContainerdConfig,
    [
        new CriSeccompUnsetIsUnconfined(),
        new CriAppArmorDisabled(),
        new CriSelinuxOff(),
        new OomScoreAdjustUnrestricted(),
        new UnprivilegedPortsAndIcmp(),
        new RuncCgroupfsDriver(),
    ]);

    /// <summary>CRI-O's /etc/crio/crio.conf and its crio.conf.d drop-ins.</summary>
    public static EngineConfigScanner Crio() => new("crio", TargetKind.CrioConfig,
    [
        new CrioDangerousDefaultCapabilities(),
        new CrioSeccompUnconfined(),
        new CrioAppArmorUnconfined(),
        new CrioSelinuxOff(),
        new CrioPidsUnlimited(),
        new CrioWritableRoot(),
        new CrioUnsafeDefaultSysctls(),
        new CrioExtraDevices(),
    ]);

    /// <summary>Every check of this engine, in rule order.</summary>
    public IReadOnlyList<Check<EngineConfig>> Checks { get; }

    public string Name { get; }

    public IReadOnlySet<TargetKind> Kinds { get; }

    public IEnumerable<Rule> Rules => Checks.Select(c => c.Rule);

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var config = kind == TargetKind.DockerDaemonConfig
            ? EngineConfig.LoadJson(target.Locator, target.Name, context.Limits)
            : EngineConfig.LoadToml(target.Locator, target.Name, context.Limits);
        return Task.FromResult(CheckRunner.Run(Checks, config, context.ChecksOf(target.Name), context.Logger, cancellationToken));
    }
}
