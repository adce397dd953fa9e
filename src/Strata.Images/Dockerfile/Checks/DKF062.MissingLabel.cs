namespace Strata.Images.Dockerfile.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A stage that ends up as an image without a label the configured schema requires.</summary>
/// <param name="config">The lint configuration with the label schema.</param>
public sealed class MissingLabel(DockerfileLintConfig config) : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-062",
        Title = "Label required by the schema is missing",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "The label schema (`label-schema` in .hadolint.yaml or the file given with --dockerfile-config) lists the labels every image must carry: where its source is, who owns it, its licence, the commit it was built from. Registries, scanners and inventory tools read them; an image without them cannot be traced back or attributed. A stage is checked when it can become an image: it is not the base of another stage and nothing copies from it; labels set in the stages it is built FROM count.",
        Remediation = "Set the labels in the final stage, from build arguments where they change per build: `ARG GIT_COMMIT` then `LABEL org.opencontainers.image.revision=$GIT_COMMIT org.opencontainers.image.source=https://example.com/repo`.",
        References = ["https://github.com/opencontainers/image-spec/blob/main/annotations.md", "https://github.com/hadolint/hadolint#configure"],
        Equivalents = ["Hadolint DL3049"],
        Examples =
        [
            new RuleExample("# .hadolint.yaml: {label-schema: {org.opencontainers.image.source: url}}\nFROM debian:12\nLABEL org.opencontainers.image.title=app", true),
            new RuleExample("# .hadolint.yaml: {label-schema: {owner: text}}\nFROM debian:12 AS base\nLABEL owner=platform\nFROM debian:12", true, "labels of an unrelated stage do not count"),
            new RuleExample("# .hadolint.yaml: {label-schema: {owner: text}}\nFROM debian:12 AS base\nLABEL owner=platform\nFROM base\nRUN true", false, "inherited from the stage it is built FROM"),
            new RuleExample("# .hadolint.yaml: {label-schema: {owner: text}}\nFROM golang:1.22 AS build\nRUN go build -o /app .\nFROM debian:12\nLABEL owner=platform\nCOPY --from=build /app /app", false, "a build stage that is only copied from"),
            new RuleExample("FROM debian:12", false, "no schema configured: the rule is silent"),
        ],
    };

    public override bool AppliesTo(DockerfileDocument subject, [NotNullWhen(false)] out string? reason)
    {
        reason = config.LabelSchema.Count == 0 ? "no label schema is configured (label-schema in .hadolint.yaml)" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var used = new HashSet<DockerfileStage>();
        foreach (var stage in subject.Stages)
        {
            if (stage.BaseStage is not null)
            {
                used.Add(stage.BaseStage);
            }

            foreach (var instruction in stage.Instructions)
            {
                var references = instruction.Keyword == "COPY" && instruction.Flag("from") is { } from ? [from]
                    : instruction.Keyword == "RUN" ? instruction.Mounts.Select(m => m.GetValueOrDefault("from")).OfType<string>().ToList()
                    : [];
                foreach (var reference in references)
                {
                    if (subject.FindStage(reference) is { } source)
                    {
                        used.Add(source);
                    }
                }
            }
        }

        foreach (var stage in subject.Stages.Where(s => !used.Contains(s)))
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            for (var s = stage; s is not null; s = s.BaseStage)
            {
                present.UnionWith(s.Instructions.Where(i => i.Keyword == "LABEL").SelectMany(i => i.Pairs).Select(p => p.Key));
            }

            var missing = config.LabelSchema.Keys.Where(k => !present.Contains(k)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, stage.From, $"Stage {stage.Label} (FROM {stage.BaseImage}) lacks the label{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)} the schema requires.");
            }
        }
    }
}
