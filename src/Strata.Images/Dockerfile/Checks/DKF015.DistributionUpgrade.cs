namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A whole-distribution upgrade (apt-get dist-upgrade, zypper dup, dnf distro-sync) in a RUN.</summary>
public sealed class DistributionUpgrade : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-015",
        Title = "Distribution upgrade in a RUN",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`apt-get dist-upgrade` (and `full-upgrade`), `zypper dist-upgrade` (`dup`) and `dnf`/`yum distro-sync` may add, remove or downgrade packages and can move the image to another release: the result depends on the day of the build, is not the base image anyone tested, and doubles the size of every upgraded package in a new layer. A plain upgrade (`apt-get upgrade`, `dnf upgrade`, `yum update`, `apk upgrade`) only applies updates to what is installed and is not reported: hadolint retired its rules against it (DL3005, DL3031, DL3039) because applying security fixes at build time is reasonable, and so do we.",
        Remediation = "Rebuild on an updated, pinned base image instead (`FROM debian:12.7-slim@sha256:…`, kept current by Renovate/Dependabot). If packages must be patched in place, use the plain upgrade (`apt-get upgrade -y`, `dnf upgrade -y`, `zypper update -y`) or upgrade only the named packages (`apt-get install --only-upgrade <pkg>`).",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get", "https://en.opensuse.org/SDB:Zypper_usage#Distribution_upgrade"],
        Equivalents = ["Hadolint DL3035", "Dockle DKL-DI-0003", "Trivy DS-0024"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get dist-upgrade -y && rm -rf /var/lib/apt/lists/*", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get -y full-upgrade && rm -rf /var/lib/apt/lists/*", true),
            new RuleExample("FROM debian:12\nRUN aptitude -y dist-upgrade", true),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper dist-upgrade", true),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper -n dup && zypper clean", true),
            new RuleExample("FROM fedora:40\nRUN dnf -y distro-sync && dnf clean all", true),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper -n update && zypper clean", false, "a plain update"),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*", false, "a plain upgrade applies fixes (hadolint retired DL3005)"),
            new RuleExample("FROM fedora:40\nRUN dnf -y upgrade && dnf clean all", false, "hadolint retired DL3039"),
            new RuleExample("FROM centos:7\nRUN yum -y update && yum clean all", false, "hadolint retired DL3031"),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends --only-upgrade openssl && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12\nRUN echo zypper dup", false, "only mentioned"),
            new RuleExample("FROM opensuse/leap:15.6\nONBUILD RUN zypper dup", true),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var managers = PackageManagers.All.Where(m => m.DistributionUpgrades.Count > 0).ToArray();
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            if (PackageManagers.In(script, managers).FirstOrDefault(l => l.Manager.DistributionUpgrades.Contains(l.Verb)) is { } upgrade)
            {
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, upgrade.Command, $"{upgrade.Program} {upgrade.Verb} may add, remove or downgrade the base image's packages at build time.");
            }
        }
    }
}
