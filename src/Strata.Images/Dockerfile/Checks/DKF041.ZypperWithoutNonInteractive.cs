namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>zypper install/remove/patch without a non-interactive switch.</summary>
public sealed class ZypperWithoutNonInteractive : PackageConfirmationCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-041",
        Title = "zypper without a non-interactive switch",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`zypper install` (`in`), `remove` (`rm`), `source-install` (`si`) and `patch` ask before changing packages; with no terminal in the build zypper aborts, so the Dockerfile only builds while nothing needs confirming. The global `-n`/`--non-interactive` or the command's `-y`/`--no-confirm` answers.",
        Remediation = "Use `zypper --non-interactive install …` (or `zypper install -y …`).",
        References = ["https://en.opensuse.org/SDB:Zypper_manual", "https://github.com/hadolint/hadolint/wiki/DL3034"],
        Equivalents = ["Hadolint DL3034"],
        Examples =
        [
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install httpd=2.4.58 && zypper clean", true),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install -n httpd=2.4.58 && zypper clean", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper -n install httpd=2.4.58 && zypper clean", false, "the global switch"),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper --non-interactive install httpd=2.4.58 && zypper clean", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4.58 && zypper clean", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper install --no-confirm httpd=2.4.58 && zypper clean", false),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper rm httpd", true),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper patch && zypper clean", true),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper refresh", false, "nothing to confirm"),
            new RuleExample("FROM opensuse/leap:15.6\nONBUILD RUN zypper in httpd=2.4.58", true),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Zypper;

    private protected override string Switch => "--non-interactive";
}
