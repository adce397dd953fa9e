namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>dnf/microdnf install or upgrade whose cache stays in the layer.</summary>
public sealed class DnfCacheNotCleaned : PackageCacheCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-045",
        Title = "dnf cache left in the image",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`dnf install` (and `upgrade`, `reinstall`, `group install` …; `microdnf`, `dnf5`, `tdnf` the same) downloads repository metadata, often a hundred megabytes, to /var/cache/dnf (/var/cache/yum for microdnf, /var/cache/libdnf5 for dnf5); unless it is removed later in the same RUN it stays in that layer for good. Each program cleans its own cache, so `microdnf clean all` after `dnf install` does not count. Only the stages that ship and ONBUILD triggers are reported (hadolint DL3040 reads every stage and accepts any `rm -rf`).",
        Remediation = "Finish the RUN with `&& dnf clean all` (the same program that installed), or `rm -rf /var/cache/dnf /var/cache/yum /var/cache/libdnf5`, or use a cache mount on the cache directory.",
        References = ["https://dnf.readthedocs.io/en/latest/command_ref.html#clean-command", "https://github.com/hadolint/hadolint/wiki/DL3040"],
        Equivalents = ["Hadolint DL3040", "Trivy DS-0019", "Trivy DS-0027"],
        Examples =
        [
            new RuleExample("FROM fedora:40\nRUN dnf install -y mariadb-10.11.9", true),
            new RuleExample("FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y mariadb-10.5.22", true),
            new RuleExample("FROM fedora:40\nRUN dnf in -y mariadb-10.11.9", true),
            new RuleExample("FROM fedora:40\nRUN dnf install -y mariadb-10.11.9 && dnf clean all", false),
            new RuleExample("FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y mariadb-10.5.22 && microdnf clean all", false),
            new RuleExample("FROM fedora:40\nRUN dnf install -y mariadb-10.11.9 && microdnf clean all", true, "another program's cache"),
            new RuleExample("FROM fedora:40\nRUN microdnf clean all && dnf install -y mariadb-10.11.9", true),
            new RuleExample("FROM fedora:40\nRUN dnf install -y mariadb-10.11.9 && rm -rf /var/cache/yum/*", false),
            new RuleExample("FROM fedora:40\nRUN dnf install -y mariadb-10.11.9 && rm -rf /var/cache/dnf", false),
            new RuleExample("FROM fedora:40\nRUN rm -rf /var/cache/libdnf5 && dnf install -y mariadb-10.11.9", true, "removed before the install"),
            new RuleExample("FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y mariadb-10.11.9", false),
            new RuleExample("FROM fedora:40\nRUN --mount=type=tmpfs,target=/var/cache/dnf dnf install -y mariadb-10.11.9", false),
            new RuleExample("FROM fedora:40\nRUN dnf -y upgrade", true, "an upgrade downloads metadata too"),
            new RuleExample("FROM fedora:40\nRUN dnf -y up-min && dnf clean all", false),
            new RuleExample("FROM fedora:40\nRUN dnf -y reinstall tzdata && dnf clean all", false),
            new RuleExample("FROM fedora:40\nRUN notdnf install mariadb", false),
            new RuleExample("FROM fedora:40 AS build\nRUN dnf install -y gcc\nFROM scratch\nCOPY --from=build /out /out", false, "the build stage does not ship"),
            new RuleExample("FROM fedora:40\nONBUILD RUN dnf install -y mariadb-10.11.9", true),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Dnf;

    private protected override string Message(PackageCommandLine line) => $"{line.Program} {line.Verb} leaves its cache in the layer: no `{line.Program} clean all` after it in the same RUN.";
}
