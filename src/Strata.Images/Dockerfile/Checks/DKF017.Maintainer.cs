namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The deprecated MAINTAINER instruction.</summary>
public sealed class Maintainer : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-017",
        Title = "MAINTAINER is deprecated",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "MAINTAINER has been deprecated since Docker 1.13; it sets a legacy config field that most tools ignore.",
        Remediation = "Use the standard annotation label: `LABEL org.opencontainers.image.authors=\"team@example.com\"`.",
        References = ["https://docs.docker.com/reference/dockerfile/#maintainer-deprecated", "https://github.com/opencontainers/image-spec/blob/main/annotations.md"],
        Equivalents = ["Hadolint DL4000", "Checkov CKV_DOCKER_6", "Trivy DS-0022"],
        Examples =
        [
            new RuleExample("FROM debian:12\nMAINTAINER Jane <jane@example.com>", true),
            new RuleExample("FROM debian:12\nLABEL org.opencontainers.image.authors=\"jane@example.com\"", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var maintainer in stage.Instructions.Where(i => i.Keyword == "MAINTAINER"))
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, maintainer, "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors.");
            }
        }
    }
}
