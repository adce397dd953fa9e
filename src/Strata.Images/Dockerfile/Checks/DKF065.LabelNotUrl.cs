namespace Strata.Images.Dockerfile.Checks;

using System.Text.RegularExpressions;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A label the schema types as url whose value is not an absolute URI.</summary>
/// <param name="config">The lint configuration with the label schema.</param>
public sealed partial class LabelNotUrl(DockerfileLintConfig config) : LabelSchemaCheck(config)
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-065",
        Title = "Label is not a valid URL",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Labels typed `url` in the schema (source repository, documentation, homepage) are followed by tools and people; a value without a scheme (`github.com/acme/app`) or with spaces is not a URL they can open.",
        Remediation = "Write an absolute URL with its scheme: `LABEL org.opencontainers.image.source=https://github.com/acme/app`.",
        References = ["https://www.rfc-editor.org/rfc/rfc3986", "https://github.com/opencontainers/image-spec/blob/main/annotations.md"],
        Equivalents = ["Hadolint DL3052"],
        Examples =
        [
            new RuleExample("# .hadolint.yaml: {label-schema: {org.opencontainers.image.source: url}}\nFROM debian:12\nLABEL org.opencontainers.image.source=github.com/acme/app", true, "no scheme"),
            new RuleExample("# .hadolint.yaml: {label-schema: {docs: url}}\nFROM debian:12\nLABEL docs=\"https://example.com/my docs\"", true, "a space"),
            new RuleExample("# .hadolint.yaml: {label-schema: {org.opencontainers.image.source: url}}\nFROM debian:12\nLABEL org.opencontainers.image.source=https://github.com/acme/app", false),
            new RuleExample("# .hadolint.yaml: {label-schema: {docs: url}}\nFROM debian:12\nLABEL docs=urn:isbn:0451450523 other=not-a-url", false, "any scheme; other labels are not checked"),
        ],
    };

    protected override LabelType? Type => LabelType.Url;

    protected override string Expected => "an absolute URL";

    protected override bool IsValid(string value) =>
        value.Length == 0 || (Scheme().IsMatch(value) && !value.Any(char.IsWhiteSpace) && Uri.TryCreate(value, UriKind.Absolute, out _));

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();
}
