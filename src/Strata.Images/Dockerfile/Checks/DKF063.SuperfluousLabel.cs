namespace Strata.Images.Dockerfile.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>With strict labels, a LABEL key that the configured schema does not list.</summary>
/// <param name="config">The lint configuration with the label schema and strict-labels.</param>
public sealed class SuperfluousLabel(DockerfileLintConfig config) : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-063",
        Title = "Label not in the schema",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "With `strict-labels: true`, the label schema is the complete list of labels an image may carry, so that labels stay consistent across a fleet: a key outside it is usually a typo of a schema label (which then counts as missing) or a label that belongs elsewhere.",
        Remediation = "Rename the label to the schema's key, add the key to `label-schema`, or remove the label.",
        References = ["https://github.com/hadolint/hadolint#configure"],
        Equivalents = ["Hadolint DL3050"],
        Examples =
        [
            new RuleExample("# .hadolint.yaml: {strict-labels: true, label-schema: {owner: text}}\nFROM debian:12\nLABEL owner=platform ownr=platform", true),
            new RuleExample("# .hadolint.yaml: {strict-labels: true, label-schema: {owner: text}}\nFROM debian:12\nLABEL owner=platform", false),
            new RuleExample("# .hadolint.yaml: {label-schema: {owner: text}}\nFROM debian:12\nLABEL owner=platform extra=1", false, "strict-labels is off"),
        ],
    };

    public override bool AppliesTo(DockerfileDocument subject, [NotNullWhen(false)] out string? reason)
    {
        reason = config.StrictLabels ? null : "strict-labels is not set in the lint configuration";
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var label in stage.Instructions.Where(i => i.Keyword == "LABEL"))
            {
                var extra = label.Pairs.Select(p => p.Key).Where(k => !config.LabelSchema.ContainsKey(k)).Distinct(StringComparer.Ordinal).ToList();
                if (extra.Count > 0)
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, label, $"Label{(extra.Count > 1 ? "s" : string.Empty)} {string.Join(", ", extra.Select(k => DockerfileParser.Quote(k)))} {(extra.Count > 1 ? "are" : "is")} not in the label schema (strict labels).");
                }
            }
        }
    }
}
