namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>yum install of a package without a version.</summary>
public sealed class YumPackageNotPinned : PackagePinningCheck
{
    internal const string RpmSyntax = "rpm packages are pinned by name-version (`httpd-2.4.57`, with an epoch `openssl-1:3.0.7`, with a release `git-core-2.43.5-1.el9`, or a prefix `kernel-devel-5.14*`): the last dash-separated part must start with a digit, so `java-17-openjdk` is a name, not a version (hadolint accepts any digit-led part). A version kept in a variable counts when an ARG or ENV of the Dockerfile sets it (`git-core-${GIT_VERSION}`). .rpm files and URLs name one artifact; a module is pinned by its stream (`module install nodejs:20`, `@nodejs:20`); groups (`group install`, `@Development Tools`) have no version and are not reported.";

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-036",
        Title = "yum package installed without a version",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`yum install httpd` installs whatever the repositories offer on the day of the build, so two builds of the same Dockerfile differ and nobody can tell from it what the image contains. " + RpmSyntax + " Option values (`--enablerepo epel`, `--setopt …`) are not packages.",
        Remediation = "Pin each package: `yum install -y httpd-2.4.6-99.el7` (`yum list --showduplicates httpd` shows the candidates), and pin the base image by digest so the repositories match.",
        References = ["https://man7.org/linux/man-pages/man8/yum.8.html", "https://github.com/hadolint/hadolint/wiki/DL3033"],
        Equivalents = ["Hadolint DL3033"],
        Examples =
        [
            new RuleExample("FROM centos:7\nRUN yum install -y tomcat && yum clean all", true),
            new RuleExample("FROM centos:7\nRUN yum install -y tomcat-7.0.76 && yum clean all", false),
            new RuleExample("FROM rockylinux:9\nRUN yum install -y openssl-1:3.0.7 && yum clean all", false, "with an epoch"),
            new RuleExample("FROM rockylinux:9\nRUN yum install -y rpm-sign-4.16.1.3 gcc-c++-11.4.1 && yum clean all", false, "names with dashes and a plus"),
            new RuleExample("FROM rockylinux:9\nRUN yum install -y rpm-sign && yum clean all", true, "a name with a dash"),
            new RuleExample("FROM rockylinux:9\nRUN yum install -y java-17-openjdk && yum clean all", true, "17 is part of the name"),
            new RuleExample("FROM rockylinux:9\nRUN yum install -y java-17-openjdk-17.0.12.0.7-2.el9 && yum clean all", false),
            new RuleExample("FROM rockylinux:9\nRUN yum install -y kernel-devel-5.14* && yum clean all", false, "a version prefix"),
            new RuleExample("FROM rockylinux:9\nRUN yum install -y https://dl.fedoraproject.org/pub/epel/epel-release-latest-9.noarch.rpm && yum clean all", false, "an rpm file"),
            new RuleExample("FROM rockylinux:9\nRUN yum install -y --enablerepo crb ninja-build-1.10.2 && yum clean all", false, "the option value is a repository"),
            new RuleExample("FROM rockylinux:9\nRUN yum module install -y nodejs && yum clean all", true, "a module without a stream"),
            new RuleExample("FROM rockylinux:9\nRUN yum module install -y nodejs:20 && yum clean all", false),
            new RuleExample("FROM rockylinux:9\nRUN yum install -y @nodejs:20 && yum clean all", false),
            new RuleExample("FROM rockylinux:9\nRUN yum groupinstall -y 'Development Tools' && yum clean all", false, "groups have no version"),
            new RuleExample("FROM rockylinux:9\nENV GIT_VERSION=2.43.5-1.el9\nRUN yum -y install git-core-${GIT_VERSION} && yum clean all", false, "the version is set by ENV"),
            new RuleExample("FROM rockylinux:9\nARG GIT_VERSION=2.43.5-1.el9\nRUN yum -y install git-core-$GIT_VERSION && yum clean all", false),
            new RuleExample("FROM rockylinux:9 AS base\nENV GIT_VERSION=2.43.5-1.el9\nFROM rockylinux:9\nRUN yum -y install git-core-${GIT_VERSION} && yum clean all", true, "the ENV is in an unrelated stage"),
            new RuleExample("FROM rockylinux:9 AS base\nENV GIT_VERSION=2.43.5-1.el9\nFROM base\nRUN yum -y install git-core-${GIT_VERSION} && yum clean all", false, "inherited"),
            new RuleExample("FROM rockylinux:9\nRUN yum -y install git-core-${GIT_VERSION} && yum clean all", true, "a variable set nowhere"),
            new RuleExample("FROM rockylinux:9\nRUN bash -c `# not a yum command`", false),
            new RuleExample("FROM rockylinux:9\nONBUILD RUN yum install -y tomcat && yum clean all", true),
        ],
    };

    private protected override IReadOnlyList<PackageManager> Managers => [PackageManagers.Yum];

    private protected override string PinnedForm => "httpd-2.4.57";
}
