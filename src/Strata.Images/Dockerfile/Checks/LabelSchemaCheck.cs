namespace Strata.Images.Dockerfile.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>
/// What the label-schema rules share: a LABEL of a stage whose key the configured schema types as <see cref="Type"/>
/// (any type when null) and whose value <see cref="IsValid"/> refuses. Silent without a schema.
/// </summary>
/// <param name="config">The lint configuration with the label schema.</param>
public abstract class LabelSchemaCheck(DockerfileLintConfig config) : Check<DockerfileDocument>
{
    /// <summary>The schema type this rule checks, or null for every label of the schema.</summary>
    protected abstract LabelType? Type { get; }

    /// <summary>What a valid value is, for messages ("a URL").</summary>
    protected abstract string Expected { get; }

    protected DockerfileLintConfig Config => config;

    public override bool AppliesTo(DockerfileDocument subject, [NotNullWhen(false)] out string? reason)
    {
        reason = config.LabelSchema.Values.Any(t => Type is null || t == Type)
            ? null
            : Type is null ? "no label schema is configured (label-schema in .hadolint.yaml)" : $"the label schema has no label of type {Type.ToString()!.ToLowerInvariant()}";
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
                foreach (var pair in label.Pairs)
                {
                    if (pair.Unresolved || pair.Value is not { } value || !config.LabelSchema.TryGetValue(pair.Key, out var type) || (Type is not null && type != Type) || IsValid(value))
                    {
                        continue;
                    }

                    var shown = value.Length == 0 ? "empty" : $"'{DockerfileParser.Quote(value)}', not {Expected}";
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, label, $"Label {pair.Key} is {shown}.");
                }
            }
        }
    }

    /// <summary>True when <paramref name="value"/> is acceptable for the rule's type.</summary>
    protected abstract bool IsValid(string value);
}
