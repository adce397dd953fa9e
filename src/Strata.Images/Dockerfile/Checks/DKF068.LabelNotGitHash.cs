namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A label the schema types as hash whose value is not a git commit hash.</summary>
/// <param name="config">The lint configuration with the label schema.</param>
public sealed class LabelNotGitHash(DockerfileLintConfig config) : LabelSchemaCheck(config)
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-068",
        Title = "Label is not a git commit hash",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Labels typed `hash` (such as `org.opencontainers.image.revision`) tie the image to the commit it was built from; a branch name, a tag or a decorated value (`v1.2-3-gabc123`) moves or cannot be looked up, so the image can no longer be traced to its exact source.",
        Remediation = "Pass the full commit hash (40 lowercase hexadecimal digits, or the 7-digit short form): `--build-arg GIT_COMMIT=$(git rev-parse HEAD)` with `LABEL org.opencontainers.image.revision=$GIT_COMMIT`.",
        References = ["https://git-scm.com/docs/git-rev-parse", "https://github.com/opencontainers/image-spec/blob/main/annotations.md"],
        Equivalents = ["Hadolint DL3055"],
        Examples =
        [
            new RuleExample("# .hadolint.yaml: {label-schema: {org.opencontainers.image.revision: hash}}\nFROM debian:12\nLABEL org.opencontainers.image.revision=main", true),
            new RuleExample("# .hadolint.yaml: {label-schema: {revision: hash}}\nFROM debian:12\nLABEL revision=4C8A2F1", true, "upper case"),
            new RuleExample("# .hadolint.yaml: {label-schema: {revision: hash}}\nFROM debian:12\nLABEL revision=9fceb02d0ae598e95dc970b74767f19372d61af8", false),
            new RuleExample("# .hadolint.yaml: {label-schema: {revision: hash}}\nFROM debian:12\nLABEL revision=9fceb02", false, "the short form"),
        ],
    };

    protected override LabelType? Type => LabelType.Hash;

    protected override string Expected => "a git commit hash (7 or 40 lowercase hexadecimal digits)";

    protected override bool IsValid(string value) =>
        value.Length == 0 || (value.Length is 7 or 40 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'));
}
