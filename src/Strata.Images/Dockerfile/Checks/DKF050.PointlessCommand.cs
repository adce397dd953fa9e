namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Interactive or system-management commands in a RUN (ssh, vim, service, shutdown, ps, top, kill …).</summary>
public sealed class PointlessCommand : Check<DockerfileDocument>
{
    /// <summary>hadolint's list; each says why it has no place in a build step.</summary>
    private static readonly Dictionary<string, string> Commands = new(StringComparer.Ordinal)
    {
        ["ssh"] = "a build step cannot answer a host-key or password prompt, and keys used here end up in the layer",
        ["vim"] = "an editor needs a terminal; edit files with sed or COPY them",
        ["shutdown"] = "there is no init system to shut down in a build container",
        ["service"] = "services started in a RUN stop when the RUN ends; nothing of them reaches the image but their side effects",
        ["ps"] = "lists the build container's processes, which are gone when the RUN ends",
        ["top"] = "an interactive monitor; it never ends in a build",
        ["free"] = "reports the build machine's memory, not the image's",
        ["kill"] = "processes of one RUN do not outlive it; there is nothing to kill in a later step",
        ["mount"] = "mounts vanish when the RUN ends and need privileges a build does not have; use RUN --mount",
    };

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-050",
        Title = "Command with no effect in a build step",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "Each RUN runs in a fresh container that is thrown away once its filesystem changes are saved: services it starts, processes it watches or kills and mounts it makes do not survive it, and interactive programs (ssh, vim, top) have no terminal to talk to. Such commands either do nothing useful or hang the build, and usually show a misunderstanding of what the step keeps. The commands are hadolint's list (ssh, vim, shutdown, service, ps, free, top, kill, mount), also when run through sudo or env.",
        Remediation = "Remove the command, or do the work so that its result is a file in the layer: `COPY` configuration instead of editing it, `RUN --mount=type=…` instead of mount, start services in the container's entrypoint, not in the build.",
        References = ["https://docs.docker.com/reference/dockerfile/#run", "https://docs.docker.com/build/building/best-practices/#run"],
        Equivalents = ["Hadolint DL3001"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN service nginx start", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && vim /etc/app.conf", true, "an editor in a build step"),
            new RuleExample("FROM debian:12\nRUN ./server & sleep 2; ./seed.sh; kill %1", true),
            new RuleExample("FROM debian:12\nONBUILD RUN top -b -n 1", true, "an ONBUILD trigger runs like a RUN"),
            new RuleExample("FROM debian:12\nRUN apt-get install -y --no-install-recommends openssh-client vim procps", false, "installing the tools is not running them"),
            new RuleExample("FROM debian:12\nRUN echo 'ps and top are not run here'", false),
            new RuleExample("FROM debian:12\nCMD [\"service\", \"nginx\", \"start\"]", false, "at run time, not in the build"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            foreach (var command in script.Commands)
            {
                if (Commands.TryGetValue(command.Program, out var why))
                {
                    yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, command, $"RUN runs {command.Program}: {why}.");
                }
            }
        }
    }
}
