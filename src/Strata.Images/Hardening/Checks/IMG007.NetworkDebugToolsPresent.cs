namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Network and debugging tools an attacker would otherwise have to bring.</summary>
public sealed class NetworkDebugToolsPresent : Check<ImageView>
{
    public static readonly IReadOnlySet<string> Tools = new HashSet<string>(StringComparer.Ordinal)
    {
        "curl", "wget", "nc", "netcat", "ncat", "nc.openbsd", "nc.traditional", "socat", "ssh", "sshd", "scp", "sftp", "telnet", "ftp", "tftp",
        "gdb", "strace", "ltrace", "tcpdump", "tshark", "nmap",
    };

    /// <summary>Download tools are common in images and lower risk than shells-over-network and tracers.</summary>
    private static readonly HashSet<string> Downloaders = new(StringComparer.Ordinal) { "curl", "wget" };

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-007",
        Title = "Network or debugging tool in the image",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "Tools such as nc, socat, ssh, telnet, tcpdump, nmap, gdb and strace let an attacker with code execution open reverse shells, move laterally, sniff traffic or inspect other processes; curl and wget let them download the rest (reported LOW). An application rarely needs them at run time.",
        Remediation = "Remove them from the final image (build with a multi-stage build, or uninstall them in the same RUN step that used them). Debug with an ephemeral debug container instead. For health checks, use the application's own binary rather than curl.",
        References = ["https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container", "https://attack.mitre.org/techniques/T1105/"],
        Examples =
        [
            new RuleExample("lrwxrwxrwx 0 0 /usr/bin/nc -> /bin/busybox", true),
            new RuleExample("-rwxr-xr-x 0 0 /usr/bin/curl", true, "LOW"),
            new RuleExample("-rwxr-xr-x 0 0 /usr/bin/openssl", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context) =>
        ToolPresence.Report(
            Rule,
            context.Target,
            Executables.Find(subject, name => Tools.Contains(name) ? name : null),
            tool => $"The {(Downloaders.Contains(tool.Name) ? "download" : "network/debugging")} tool {tool.Name} is in the image: {tool.Paths}.",
            tool => Downloaders.Contains(tool.Name) ? Severity.Low : null);
}
