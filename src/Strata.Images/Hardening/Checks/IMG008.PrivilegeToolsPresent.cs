namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>sudo, su and their kin: ways to become root inside the container.</summary>
public sealed class PrivilegeToolsPresent : Check<ImageView>
{
    public static readonly IReadOnlySet<string> Tools = new HashSet<string>(StringComparer.Ordinal) { "sudo", "su", "doas", "pkexec", "sudoedit" };

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-008",
        Title = "sudo or su in the image",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "sudo, doas and pkexec exist to run commands as root; in a container that runs as a non-root user they are the shortest way back to root (a sudoers rule, a known CVE in sudo itself). su is part of most base distributions and matters only with a known root password (reported LOW). A container never needs to switch users at run time: USER and the runtime set the identity.",
        Remediation = "Do not install sudo; run the image as its final, unprivileged user, and do root work in earlier RUN steps. Where su comes with the base, prefer a base without it (distroless) or remove it with its setuid bit.",
        References = ["https://docs.docker.com/build/building/best-practices/#user"],
        Equivalents = ["Dockle DKL-DI-0001"],
        Examples =
        [
            new RuleExample("-rwsr-xr-x 0 0 /usr/bin/sudo", true),
            new RuleExample("-rwsr-xr-x 0 0 /usr/bin/su", true, "LOW"),
            new RuleExample("-rwxr-xr-x 0 0 /usr/bin/setpriv", false, "runs a command with fewer privileges, never more"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context) =>
        ToolPresence.Report(
            Rule,
            context.Target,
            Executables.Find(subject, name => Tools.Contains(name) ? name : null),
            tool => $"{tool.Name} is in the image: {tool.Paths}.",
            tool => tool.Name == "su" ? Severity.Low : null);
}
