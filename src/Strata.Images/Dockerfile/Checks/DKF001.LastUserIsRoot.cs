namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The final stage runs as root: its last USER (inherited from the stages it is built FROM) is root/0, or there is none.</summary>
public sealed class LastUserIsRoot : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-001",
        Title = "Image runs as root",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "The final stage sets no USER, or its last USER is root (0), so containers from this image run as root unless the runtime overrides it. Root in a container is root on the host whenever isolation fails: a writable host mount, a kernel bug, a leftover capability.",
        Remediation = "Create an unprivileged account and switch to it at the end of the final stage: `RUN useradd --uid 10001 --no-create-home app` then `USER 10001`. Use a numeric UID so Kubernetes runAsNonRoot can verify it.",
        References = ["https://docs.docker.com/reference/dockerfile/#user"],
        Equivalents = ["Hadolint DL3002", "Dockle CIS-DI-0001", "Checkov CKV_DOCKER_3", "Checkov CKV_DOCKER_8"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update\nUSER root", true),
            new RuleExample("FROM debian:12\nCOPY app /app", true, "no USER at all"),
            new RuleExample("ARG RUN_AS=0\nFROM debian:12\nARG RUN_AS\nUSER ${RUN_AS}:0", true, "the ARG resolves to root"),
            new RuleExample("FROM debian:12\nUSER 10001", false),
            new RuleExample("FROM debian:12 AS base\nUSER 10001\nFROM base\nCOPY app /app", false, "inherited from the stage it is built FROM"),
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

        var lastUser = final.LastInherited("USER");
        if (lastUser is null)
        {
            yield return DockerfileFindings.At(Rule, subject, context.Target, final, final.From, $"The final stage (FROM {final.BaseImage}) sets no USER; it runs as the base image's user, usually root.");
            yield break;
        }

        if (lastUser.Unresolved)
        {
            yield break;
        }

        var user = (lastUser.Words?[0] ?? lastUser.Arguments).Split(':')[0].Trim();
        if (user is "root" or "0")
        {
            yield return DockerfileFindings.At(Rule, subject, context.Target, final, lastUser, $"The last USER of the final stage is {user}.");
        }
    }
}
