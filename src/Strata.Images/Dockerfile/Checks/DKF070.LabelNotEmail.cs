namespace Strata.Images.Dockerfile.Checks;

using System.Text.RegularExpressions;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A label the schema types as email whose value is not an RFC 5322 address.</summary>
/// <param name="config">The lint configuration with the label schema.</param>
public sealed partial class LabelNotEmail(DockerfileLintConfig config) : LabelSchemaCheck(config)
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-070",
        Title = "Label is not an e-mail address",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Labels typed `email` name whom to contact about the image (a maintainer, a security contact); a name alone, a display-name form (`Jane <jane@example.com>`) or a malformed address cannot be used by tools that route reports to it.",
        Remediation = "Write the bare address: `LABEL maintainer=platform-team@example.com`.",
        References = ["https://www.rfc-editor.org/rfc/rfc5322#section-3.4.1"],
        Equivalents = ["Hadolint DL3058"],
        Examples =
        [
            new RuleExample("# .hadolint.yaml: {label-schema: {maintainer: email}}\nFROM debian:12\nLABEL maintainer=\"Jane Doe\"", true),
            new RuleExample("# .hadolint.yaml: {label-schema: {maintainer: email}}\nFROM debian:12\nLABEL maintainer=\"Jane <jane@example.com>\"", true, "a display name"),
            new RuleExample("# .hadolint.yaml: {label-schema: {maintainer: email}}\nFROM debian:12\nLABEL maintainer=jane.doe+images@example.com", false),
            new RuleExample("# .hadolint.yaml: {label-schema: {maintainer: email}}\nFROM debian:12\nLABEL maintainer=\"\\\"jane doe\\\"@example.com\"", false, "a quoted local part"),
        ],
    };

    protected override LabelType? Type => LabelType.Email;

    protected override string Expected => "an e-mail address";

    protected override bool IsValid(string value) => value.Length == 0 || Address().IsMatch(value);

    // RFC 5322 addr-spec: dot-atom or quoted local part, dot-atom or literal domain.
    [GeneratedRegex(@"^(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*|""(?:[^""\\\r\n]|\\.)*"")@(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*|\[[^\[\]\\\r\n]*\])$", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
