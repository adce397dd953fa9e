namespace Strata.Images.Dockerfile.Checks;

using System.Text.RegularExpressions;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A label the schema types as semver whose value is not a semantic version.</summary>
/// <param name="config">The lint configuration with the label schema.</param>
public sealed partial class LabelNotSemVer(DockerfileLintConfig config) : LabelSchemaCheck(config)
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-069",
        Title = "Label is not a semantic version",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Labels typed `semver` (such as `org.opencontainers.image.version`) are compared by deployment and update tools, which order `MAJOR.MINOR.PATCH[-pre-release][+build]` versions; `v1.2`, `1.2` or `latest` cannot be ordered that way.",
        Remediation = "Write a semantic version (https://semver.org): `LABEL org.opencontainers.image.version=1.4.2` or `2.0.0-rc.1`, without a leading v.",
        References = ["https://semver.org/spec/v2.0.0.html"],
        Equivalents = ["Hadolint DL3056"],
        Examples =
        [
            new RuleExample("# .hadolint.yaml: {label-schema: {org.opencontainers.image.version: semver}}\nFROM debian:12\nLABEL org.opencontainers.image.version=v1.4.2", true, "a leading v"),
            new RuleExample("# .hadolint.yaml: {label-schema: {version: semver}}\nFROM debian:12\nLABEL version=1.4", true, "no patch number"),
            new RuleExample("# .hadolint.yaml: {label-schema: {version: semver}}\nFROM debian:12\nLABEL version=01.4.2", true, "leading zero"),
            new RuleExample("# .hadolint.yaml: {label-schema: {version: semver}}\nFROM debian:12\nLABEL version=1.4.2", false),
            new RuleExample("# .hadolint.yaml: {label-schema: {version: semver}}\nFROM debian:12\nLABEL version=2.0.1-rc.1+build.5", false),
        ],
    };

    protected override LabelType? Type => LabelType.SemVer;

    protected override string Expected => "a semantic version such as 1.4.2";

    protected override bool IsValid(string value) => value.Length == 0 || SemanticVersion().IsMatch(value);

    // The regular expression semver.org gives for version 2.0.0.
    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();
}
