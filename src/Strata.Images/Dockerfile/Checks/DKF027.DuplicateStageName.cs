namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Two stages with the same name.</summary>
public sealed class DuplicateStageName : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-027",
        Title = "Duplicate stage name",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "Stage names must be unique (case-insensitively): BuildKit refuses the file, and older builders silently let the later stage shadow the earlier one, so `COPY --from=name` copies from a different stage than the reader expects.",
        Remediation = "Give every stage its own name.",
        References = ["https://docs.docker.com/build/building/multi-stage/#name-your-build-stages"],
        Equivalents = ["Hadolint DL3024", "Checkov CKV_DOCKER_11", "Trivy DS-0012"],
        Examples =
        [
            new RuleExample("FROM golang:1.22 AS build\nFROM node:22 AS Build", true),
            new RuleExample("FROM golang:1.22 AS build-go\nFROM node:22 AS build-web", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var seen = new Dictionary<string, DockerfileStage>(StringComparer.OrdinalIgnoreCase);
        foreach (var stage in subject.Stages.Where(s => s.Name is not null))
        {
            if (!seen.TryAdd(stage.Name!, stage))
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, stage.From, $"Stage name {stage.Name} is already used by the stage at line {seen[stage.Name!].From.StartLine}.");
            }
        }
    }
}
