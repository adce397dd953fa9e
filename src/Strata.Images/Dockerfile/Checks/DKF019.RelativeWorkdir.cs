namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>WORKDIR with a relative path.</summary>
public sealed class RelativeWorkdir : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-019",
        Title = "Relative WORKDIR",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "A relative WORKDIR is resolved against the previous one, which may come from the base image and change when it does; where files land and where commands run then depends on something outside this Dockerfile.",
        Remediation = "Use absolute paths: `WORKDIR /app`.",
        References = ["https://docs.docker.com/reference/dockerfile/#workdir"],
        Equivalents = ["Hadolint DL3000", "Checkov CKV_DOCKER_10", "Trivy DS-0009"],
        Examples =
        [
            new RuleExample("FROM debian:12\nWORKDIR app", true),
            new RuleExample("FROM debian:12\nWORKDIR /app", false),
            new RuleExample("FROM debian:12\nENV APP=/srv/app\nWORKDIR $APP", false, "resolved through ENV"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var workdir in stage.Instructions.Where(i => i.Keyword == "WORKDIR" && !i.Unresolved && i.Words is [_]))
            {
                var path = workdir.Words![0];
                var windows = path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]);
                if (!path.StartsWith('/') && !windows && !path.StartsWith('\\'))
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, workdir, $"WORKDIR {path} is relative to the previous working directory.");
                }
            }
        }
    }
}
