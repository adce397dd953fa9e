namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>zypper install of a package without a version.</summary>
public sealed class ZypperPackageNotPinned : PackagePinningCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-037",
        Title = "zypper package installed without a version",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`zypper install httpd` installs whatever the repositories offer on the day of the build. A version relation (`tomcat=9.0.85`, `tomcat>=9.0`, `tomcat<10`, quoted or escaped from the shell) or an .rpm file counts, as in hadolint (DL3037). Option values (`--repo`, `-t pattern`) are not packages.",
        Remediation = "Pin each package: `zypper --non-interactive install tomcat=9.0.85-150200.57.1` (`zypper search -s tomcat` shows the candidates), and pin the base image by digest.",
        References = ["https://en.opensuse.org/SDB:Zypper_manual", "https://github.com/hadolint/hadolint/wiki/DL3037"],
        Equivalents = ["Hadolint DL3037"],
        Examples =
        [
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install -y tomcat && zypper clean", true),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install -y tomcat=9.0.85 && zypper clean", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install -y tomcat\\>=9.0 && zypper clean", false, "escaped from the shell"),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install -y 'tomcat>9.0' 'curl<=8.6' && zypper clean", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install -y \"tomcat<10\" && zypper clean", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper in -y tomcat-9.0.85-1.rpm && zypper clean", false, "an rpm file"),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper --non-interactive in tomcat curl=8.6.0 && zypper clean", true, "one of two"),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper -n in --repo oss curl=8.6.0 && zypper clean", false, "the repository is not a package"),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper -n update && zypper clean", false, "no package named"),
            new RuleExample("FROM opensuse/leap:15.6\nONBUILD RUN zypper install -y tomcat", true),
        ],
    };

    private protected override IReadOnlyList<PackageManager> Managers => [PackageManagers.Zypper];

    private protected override string PinnedForm => "tomcat=9.0.85";
}
