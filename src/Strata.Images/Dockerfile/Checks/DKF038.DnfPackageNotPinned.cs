namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>dnf or microdnf install of a package without a version.</summary>
public sealed class DnfPackageNotPinned : PackagePinningCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-038",
        Title = "dnf package installed without a version",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`dnf install httpd` (or `microdnf`, `dnf5`, `tdnf`) installs whatever the repositories offer on the day of the build, so two builds of the same Dockerfile differ. " + YumPackageNotPinned.RpmSyntax + " Hadolint's equivalent is DL3041.",
        Remediation = "Pin each package: `dnf install -y httpd-2.4.62-1.el9` (`dnf list --showduplicates httpd` shows the candidates), and pin the base image by digest so the repositories match.",
        References = ["https://dnf.readthedocs.io/en/latest/command_ref.html#install-command", "https://github.com/hadolint/hadolint/wiki/DL3041"],
        Equivalents = ["Hadolint DL3041"],
        Examples =
        [
            new RuleExample("FROM fedora:40\nRUN dnf install -y tomcat && dnf clean all", true),
            new RuleExample("FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y tomcat && microdnf clean all", true),
            new RuleExample("FROM fedora:40\nRUN dnf install -y rpm-sign && dnf clean all", true, "a name with a dash"),
            new RuleExample("FROM fedora:40\nRUN dnf install -y tomcat-10.1.28 && dnf clean all", false),
            new RuleExample("FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y tomcat-10.1.28 && microdnf clean all", false),
            new RuleExample("FROM fedora:40\nRUN dnf install -y rpm-sign-4.19.1.1 gcc-c++-14.2.1 && dnf clean all", false),
            new RuleExample("FROM fedora:40\nRUN dnf install -y openssl-1:3.2.2 && dnf clean all", false, "with an epoch"),
            new RuleExample("FROM fedora:40\nRUN dnf in -y tomcat && dnf clean all", true, "dnf in is dnf install"),
            new RuleExample("FROM fedora:40\nRUN dnf5 install -y tomcat && dnf5 clean all", true),
            new RuleExample("FROM fedora:40\nRUN notdnf install tomcat", false, "another program"),
            new RuleExample("FROM fedora:40\nRUN dnf module install -y nodejs && dnf clean all", true, "a module without a stream"),
            new RuleExample("FROM fedora:40\nRUN dnf module install -y nodejs:20 && dnf clean all", false),
            new RuleExample("FROM fedora:40\nRUN dnf -y group install \"Development Tools\" && dnf clean all", false, "groups have no version"),
            new RuleExample("FROM fedora:40\nRUN dnf -y --setopt=group_package_types=mandatory group install \"Development Tools\" && dnf clean all", false),
            new RuleExample("FROM fedora:40\nRUN dnf install -y @development-tools && dnf clean all", false, "a group"),
            new RuleExample("FROM fedora:40\nRUN dnf install -y https://download.example.com/app-1.0-1.x86_64.rpm && dnf clean all", false, "an rpm file"),
            new RuleExample("FROM fedora:40\nENV version=2.46.2-1.fc40\nRUN dnf -y install git-core-${version} && dnf clean all", false, "the version is set by ENV"),
            new RuleExample("FROM fedora:40 AS build\nARG version=2.46.2-1.fc40\nFROM fedora:40\nRUN dnf -y install git-core-${version} && dnf clean all", false, "an ARG declared earlier in the file"),
            new RuleExample("FROM fedora:40 AS build\nENV version=2.46.2-1.fc40\nFROM fedora:40\nRUN dnf -y install git-core-${version} && dnf clean all", true, "an ENV of an unrelated stage"),
            new RuleExample("FROM fedora:40\nONBUILD RUN dnf install -y tomcat && dnf clean all", true),
        ],
    };

    private protected override IReadOnlyList<PackageManager> Managers => [PackageManagers.Dnf];

    private protected override string PinnedForm => "httpd-2.4.62-1.el9";
}
