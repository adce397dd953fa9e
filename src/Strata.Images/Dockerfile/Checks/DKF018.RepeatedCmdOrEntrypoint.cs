namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage: only the last counts.</summary>
public sealed class RepeatedCmdOrEntrypoint : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-018",
        Title = "Several CMD, ENTRYPOINT or HEALTHCHECK in one stage",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Only the last CMD, ENTRYPOINT and HEALTHCHECK of a stage take effect; earlier ones are silently dropped. A reader (or reviewer) who sees the first one is misled about what the container runs.",
        Remediation = "Keep one of each per stage and delete the others.",
        References = ["https://docs.docker.com/reference/dockerfile/#cmd"],
        Equivalents = ["Hadolint DL4003", "Hadolint DL4004", "Hadolint DL3012", "Trivy DS-0007", "Trivy DS-0016", "Trivy DS-0023"],
        Examples =
        [
            new RuleExample("FROM debian:12\nCMD [\"/app\", \"--debug\"]\nCMD [\"/app\"]", true),
            new RuleExample("FROM debian:12\nENTRYPOINT [\"/a\"]\nRUN true\nENTRYPOINT [\"/b\"]", true),
            new RuleExample("FROM debian:12\nHEALTHCHECK CMD [\"/a\"]\nHEALTHCHECK NONE", true, "HEALTHCHECK NONE replaces the check before it"),
            new RuleExample("FROM debian:12\nENTRYPOINT [\"/app\"]\nCMD [\"--serve\"]", false),
            new RuleExample("FROM debian:12 AS test\nCMD [\"/test\"]\nFROM debian:12\nCMD [\"/app\"]", false, "one per stage"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var keyword in new[] { "CMD", "ENTRYPOINT", "HEALTHCHECK" })
            {
                // Reported on each later one, as hadolint does, naming the one it replaces.
                var all = stage.Instructions.Where(i => i.Keyword == keyword).ToList();
                for (var i = 1; i < all.Count; i++)
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, all[i], $"This {keyword} replaces the {keyword} at line {all[i - 1].StartLine}, which has no effect.");
                }
            }
        }
    }
}
