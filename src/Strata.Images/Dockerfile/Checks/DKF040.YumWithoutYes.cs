namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>yum install without -y.</summary>
public sealed class YumWithoutYes : PackageConfirmationCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-040",
        Title = "yum install without -y",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Without -y, `yum install` (and `groupinstall`, `localinstall`, `group install`, `module install`) asks before installing; with no terminal in the build it reads end-of-file, answers no and fails, so the Dockerfile only builds while nothing needs confirming.",
        Remediation = "Use `yum install -y …` (or `--assumeyes`).",
        References = ["https://man7.org/linux/man-pages/man8/yum.8.html", "https://github.com/hadolint/hadolint/wiki/DL3030"],
        Equivalents = ["Hadolint DL3030"],
        Examples =
        [
            new RuleExample("FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all", true),
            new RuleExample("FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all", false),
            new RuleExample("FROM centos:7\nRUN yum -y install httpd-2.4.6 && yum clean all", false),
            new RuleExample("FROM centos:7\nRUN yum --assumeyes install httpd-2.4.6 && yum clean all", false),
            new RuleExample("FROM centos:7\nRUN yum groupinstall 'Development Tools' && yum clean all", true),
            new RuleExample("FROM centos:7\nRUN yum localinstall /tmp/app-1.0-1.x86_64.rpm && yum clean all", true),
            new RuleExample("FROM centos:7\nRUN yum -q install -y httpd-2.4.6", false, "a cluster of options"),
            new RuleExample("FROM centos:7\nRUN yes | yum install httpd-2.4.6", false, "yes answers"),
            new RuleExample("FROM centos:7\nRUN yum clean all", false, "nothing to confirm"),
            new RuleExample("FROM centos:7\nRUN bash -c `# not even a yum command`", false),
            new RuleExample("FROM centos:7\nONBUILD RUN yum install httpd-2.4.6", true),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Yum;

    private protected override string Switch => "-y";
}
