namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>dnf/microdnf install without -y.</summary>
public sealed class DnfWithoutYes : PackageConfirmationCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-042",
        Title = "dnf install without -y",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Without -y, `dnf install` (and `microdnf`, `dnf5`, `tdnf`; `in`, `groupinstall`, `localinstall`, `group install`, `module install`) asks before installing; with no terminal in the build it answers no and fails, so the Dockerfile only builds while nothing needs confirming. Hadolint (DL3038) does not read the `in` alias.",
        Remediation = "Use `dnf install -y …` (or `--assumeyes`).",
        References = ["https://dnf.readthedocs.io/en/latest/command_ref.html", "https://github.com/hadolint/hadolint/wiki/DL3038"],
        Equivalents = ["Hadolint DL3038"],
        Examples =
        [
            new RuleExample("FROM fedora:40\nRUN dnf install httpd-2.4.62 && dnf clean all", true),
            new RuleExample("FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install httpd-2.4.62 && microdnf clean all", true),
            new RuleExample("FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all", false),
            new RuleExample("FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y httpd-2.4.62 && microdnf clean all", false),
            new RuleExample("FROM fedora:40\nRUN dnf --assumeyes install httpd-2.4.62 && dnf clean all", false),
            new RuleExample("FROM fedora:40\nRUN dnf group install 'Development Tools' && dnf clean all", true),
            new RuleExample("FROM fedora:40\nRUN dnf in httpd-2.4.62", true, "dnf in is dnf install"),
            new RuleExample("FROM fedora:40\nRUN notdnf install httpd", false, "another program"),
            new RuleExample("FROM fedora:40\nRUN dnf clean all", false),
            new RuleExample("FROM fedora:40\nONBUILD RUN dnf install httpd-2.4.62", true),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Dnf;

    private protected override string Switch => "-y";
}
