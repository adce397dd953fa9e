namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The last USER is root: the image's (inherited from the stages it is built FROM), or a build stage's.</summary>
public sealed class LastUserIsRoot : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-001",
        Title = "Image runs as root",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "The last USER of the final stage is root (or 0), so containers from this image run as root unless the runtime overrides it. Root in a container is root on the host whenever isolation fails: a writable host mount, a kernel bug, a leftover capability. When the ENTRYPOINT or CMD hands over to another user with gosu, su-exec, setpriv, runuser or chroot --userspec (or the image installs gosu/su-exec for its entrypoint script), the service itself runs unprivileged and the finding is Low: the container still starts as root and everything before the switch runs as root. A build stage that ends as root is reported as information only: it matters only when built with --target. (An image that sets no USER at all is DKF-077.)",
        Remediation = "Create an unprivileged account and switch to it at the end of the final stage: `RUN useradd --uid 10001 --no-create-home app` then `USER 10001`. Use a numeric UID so Kubernetes runAsNonRoot can verify it. Images whose entrypoint must run as root to fix volume ownership can instead be run with `--user` and volumes prepared by the orchestrator (fsGroup).",
        References = ["https://docs.docker.com/reference/dockerfile/#user"],
        Equivalents = ["Hadolint DL3002", "Checkov CKV_DOCKER_8", "Trivy DS-0002"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update\nUSER root", true),
            new RuleExample("ARG RUN_AS=0\nFROM debian:12\nARG RUN_AS\nUSER ${RUN_AS}:0", true, "the ARG resolves to root"),
            new RuleExample("FROM debian:12 AS base\nUSER root\nFROM base\nCOPY app /app", true, "inherited from the stage it is built FROM"),
            new RuleExample("FROM postgres:16\nUSER root\nCOPY entrypoint.sh /\nENTRYPOINT [\"gosu\", \"postgres\", \"/entrypoint.sh\"]", true, "Low: the entrypoint drops privileges"),
            new RuleExample("FROM debian:12 AS build\nUSER root\nRUN make\nFROM debian:12\nUSER 10001", true, "information: a build stage that ends as root"),
            new RuleExample("FROM debian:12\nUSER 10001", false),
            new RuleExample("FROM debian:12\nUSER root\nRUN apt-get update\nUSER app", false, "switched back"),
            new RuleExample("FROM debian:12\nCOPY app /app", false, "no USER at all is DKF-077"),
            new RuleExample("FROM debian:12\nARG RUN_AS\nUSER $RUN_AS", false, "not known until build time"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var final = subject.FinalStage;
        if (final is null)
        {
            yield break;
        }

        var effective = final.LastInherited("USER");
        if (effective is not null && IsRoot(effective, out var user))
        {
            var owner = subject.Stages.First(s => s.Instructions.Contains(effective));
            var drop = PrivilegeDrop.Find(subject, final);
            yield return drop is null
                ? DockerfileFindings.At(Rule, subject, context.Target, owner, effective, $"The image runs as {user}: it is the last USER of the final stage.")
                : DockerfileFindings.At(Rule, subject, context.Target, owner, effective, $"The image starts as {user} (the last USER of the final stage); {drop}, which usually switches to an unprivileged user.", Severity.Low);
        }

        foreach (var stage in subject.Stages.Where(s => s != final))
        {
            var last = stage.Instructions.LastOrDefault(i => i.Keyword == "USER");
            if (last is not null && !ReferenceEquals(last, effective) && IsRoot(last, out var stageUser))
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, last, $"Build stage {stage.Label} ends as {stageUser}; this matters only when it is built with --target {stage.Label}.", Severity.Info);
            }
        }
    }

    private static bool IsRoot(DockerfileInstruction instruction, out string user)
    {
        user = (instruction.Words?[0] ?? instruction.Arguments).Split(':')[0].Trim();
        return !instruction.Unresolved && user is "root" or "0";
    }
}
