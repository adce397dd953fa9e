namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>yum install/update whose cache stays in the layer.</summary>
public sealed class YumCacheNotCleaned : PackageCacheCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-043",
        Title = "yum cache left in the image",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`yum install` (and `update`, `upgrade`, `reinstall`, `groupinstall` …) downloads repository metadata, often a hundred megabytes, to /var/cache/yum; unless it is removed later in the same RUN it stays in that layer for good, and goes stale. Only the stages that ship and ONBUILD triggers are reported. Unlike hadolint (DL3032), which reads only `install` and accepts any `rm -rf`, updates count and the removal must be of the cache.",
        Remediation = "Finish the RUN with `&& yum clean all` (or `rm -rf /var/cache/yum`), or use a cache mount: `RUN --mount=type=cache,target=/var/cache/yum …`.",
        References = ["https://man7.org/linux/man-pages/man8/yum.8.html", "https://github.com/hadolint/hadolint/wiki/DL3032"],
        Equivalents = ["Hadolint DL3032", "Trivy DS-0015"],
        Examples =
        [
            new RuleExample("FROM centos:7\nRUN yum install -y mariadb-5.5.68", true),
            new RuleExample("FROM centos:7\nRUN yum install -y mariadb-5.5.68 && yum clean all", false),
            new RuleExample("FROM centos:7\nRUN yum install -y mariadb-5.5.68 && rm -rf /var/cache/yum/*", false),
            new RuleExample("FROM centos:7\nRUN yum install -y mariadb-5.5.68 && rm -rf /var/cache/yum", false),
            new RuleExample("FROM centos:7\nRUN yum clean all && yum install -y mariadb-5.5.68", true, "cleaned before the install"),
            new RuleExample("FROM centos:7\nRUN yum install -y mariadb-5.5.68 && rm -rf /tmp/*", true, "removes something else"),
            new RuleExample("FROM centos:7\nRUN yum -y update", true, "an update downloads metadata too"),
            new RuleExample("FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y mariadb-5.5.68", false),
            new RuleExample("FROM centos:7\nRUN yum clean all", false, "nothing installed"),
            new RuleExample("FROM centos:7\nRUN bash -c `# not even a yum command`", false),
            new RuleExample("FROM centos:7 AS build\nRUN yum install -y gcc-4.8.5\nFROM scratch\nCOPY --from=build /out /out", false, "the build stage does not ship"),
            new RuleExample("FROM centos:7\nONBUILD RUN yum install -y mariadb-5.5.68", true),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Yum;

    private protected override string Message(PackageCommandLine line) => $"yum {line.Verb} leaves its cache in /var/cache/yum: no `yum clean all` after it in the same RUN.";
}
