namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The image has a shell.</summary>
public sealed class ShellPresent : Check<ImageView>
{
    /// <summary>Shells, and the multi-call binaries that include one.</summary>
    public static readonly IReadOnlySet<string> Shells = new HashSet<string>(StringComparer.Ordinal)
    {
        "sh", "bash", "rbash", "dash", "ash", "zsh", "ksh", "ksh93", "mksh", "pdksh", "csh", "tcsh", "fish", "busybox", "toybox",
    };

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-004",
        Title = "Shell in the image",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "A shell turns any code execution in the container (a deserialisation bug, a template injection) into an interactive foothold: the attacker can chain commands, download tools and explore. An application that does not start through a shell does not need one at run time. busybox and toybox count: they contain a shell.",
        Remediation = "Use a base without a shell (distroless, scratch with a static binary, UBI micro) and an exec-form ENTRYPOINT/CMD. For debugging, attach an ephemeral debug container (kubectl debug) instead of shipping a shell.",
        References = ["https://github.com/GoogleContainerTools/distroless", "https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container"],
        Examples =
        [
            new RuleExample("lrwxrwxrwx 0 0 /bin/sh -> dash", true),
            new RuleExample("-rwxr-xr-x 0 0 /usr/local/bin/app", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context) =>
        ToolPresence.Report(Rule, context.Target, Executables.Find(subject, name => Shells.Contains(name) ? name : null), tool =>
            tool.Name is "busybox" or "toybox"
                ? $"{tool.Name} (a multi-call binary with a shell and many tools) is in the image: {tool.Paths}."
                : $"The shell {tool.Name} is in the image: {tool.Paths}.");
}
