namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>USER by name: Kubernetes runAsNonRoot cannot verify a name, and the host cannot resolve it.</summary>
public sealed class NonNumericUser : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-074",
        Title = "USER names a user instead of a UID",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "With a user name in USER, only the image's /etc/passwd says which UID the container runs as. Kubernetes `runAsNonRoot: true` cannot check a name and refuses to start the pod (\"image has non-numeric user, cannot verify user is non-root\"), admission policies cannot tell root from non-root, and file ownership on volumes depends on a lookup the host cannot do. Reported at Low for the user the image runs as, and as information for the USER of build stages and of earlier steps. A USER built from variables is judged by its value: unknown (an ARG without default) is not reported, a name from an ENV or an ARG default is (hadolint stays silent whenever an ARG is used).",
        Remediation = "Use the numeric UID (and GID) of the account: `RUN useradd --uid 10001 app` then `USER 10001:10001`.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/", "https://docs.docker.com/reference/dockerfile/#user"],
        Equivalents = ["Hadolint DL3066"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN useradd app\nUSER app", true),
            new RuleExample("FROM debian:12\nUSER app:app", true),
            new RuleExample("FROM debian:12\nENV APP_USER=www-data\nUSER $APP_USER", true, "resolved through ENV"),
            new RuleExample("FROM debian:12\nUSER 10001:10001", false),
            new RuleExample("FROM debian:12\nARG UID\nUSER ${UID}", false, "not known until build time"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var effective = subject.FinalStage?.LastInherited("USER");
        foreach (var stage in subject.Stages)
        {
            foreach (var user in stage.Instructions.Where(i => i.Keyword == "USER" && !i.Unresolved))
            {
                var name = (user.Words?[0] ?? user.Arguments).Split(':')[0].Trim();
                if (name.Length > 0 && !name.All(char.IsAsciiDigit))
                {
                    var final = ReferenceEquals(user, effective);
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, user, $"USER {name} is a name{(final ? ", and it is the user the image runs as" : string.Empty)}: Kubernetes runAsNonRoot cannot verify it; use its numeric UID.", final ? null : Severity.Info);
                }
            }
        }
    }
}
