namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A label of the configured schema set to an empty value.</summary>
/// <param name="config">The lint configuration with the label schema.</param>
public sealed class EmptyLabel(DockerfileLintConfig config) : LabelSchemaCheck(config)
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-064",
        Title = "Label required by the schema is empty",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "A label of the schema set to an empty string is present but says nothing; it typically comes from a build argument nobody passed (`LABEL org.opencontainers.image.revision=$GIT_COMMIT` without `--build-arg GIT_COMMIT=…`).",
        Remediation = "Give it its value, and make the build pass the argument (`docker build --build-arg GIT_COMMIT=$(git rev-parse HEAD)`), or give the ARG a default that says it is unknown.",
        References = ["https://github.com/hadolint/hadolint#configure"],
        Equivalents = ["Hadolint DL3051"],
        Examples =
        [
            new RuleExample("# .hadolint.yaml: {label-schema: {owner: text}}\nFROM debian:12\nLABEL owner=\"\"", true),
            new RuleExample("# .hadolint.yaml: {label-schema: {org.opencontainers.image.version: semver}}\nFROM debian:12\nARG VERSION=\nLABEL org.opencontainers.image.version=$VERSION", true, "an ARG with an empty default"),
            new RuleExample("# .hadolint.yaml: {label-schema: {owner: text}}\nFROM debian:12\nLABEL owner=platform other=\"\"", false, "only schema labels are checked"),
            new RuleExample("# .hadolint.yaml: {label-schema: {owner: text}}\nFROM debian:12\nARG OWNER\nLABEL owner=$OWNER", false, "the value is not known until build time"),
        ],
    };

    protected override LabelType? Type => null;

    protected override string Expected => "a value";

    protected override bool IsValid(string value) => value.Length > 0;
}
