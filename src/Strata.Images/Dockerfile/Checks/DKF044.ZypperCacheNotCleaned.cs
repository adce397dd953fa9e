namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>zypper install whose cache stays in the layer.</summary>
public sealed class ZypperCacheNotCleaned : PackageCacheCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-044",
        Title = "zypper cache left in the image",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`zypper install` (and `update`, `patch`, `dist-upgrade`) leaves repository metadata and downloaded packages in /var/cache/zypp; unless they are removed later in the same RUN they stay in that layer for good. Only the stages that ship and ONBUILD triggers are reported (hadolint DL3036 reads every stage, and only `install`).",
        Remediation = "Finish the RUN with `&& zypper clean --all` (`zypper cc -a`), or use a cache mount: `RUN --mount=type=cache,target=/var/cache/zypp …`.",
        References = ["https://en.opensuse.org/SDB:Zypper_manual", "https://github.com/hadolint/hadolint/wiki/DL3036"],
        Equivalents = ["Hadolint DL3036", "Trivy DS-0020"],
        Examples =
        [
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.11.8", true),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.11.8 && zypper clean", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper in -y mariadb=10.11.8 && zypper cc -a", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper -n in mariadb=10.11.8 && rm -rf /var/cache/zypp/*", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper clean && zypper install -y mariadb=10.11.8", true, "cleaned before the install"),
            new RuleExample("FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper install -y mariadb", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN --mount=type=tmpfs,target=/var/cache/zypp zypper install -y mariadb", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper -n update", true),
            new RuleExample("FROM opensuse/leap:15.6 AS build\nRUN zypper -n in gcc\nFROM scratch\nCOPY --from=build /out /out", false, "the build stage does not ship"),
            new RuleExample("FROM opensuse/leap:15.6\nONBUILD RUN zypper install -y mariadb=10.11.8", true),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Zypper;

    private protected override string Message(PackageCommandLine line) => $"zypper {line.Verb} leaves its cache in /var/cache/zypp: no `zypper clean` after it in the same RUN.";
}
