namespace Strata.Images.Dockerfile.Checks;

using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A label the schema types as rfc3339 whose value is not an RFC 3339 date and time.</summary>
/// <param name="config">The lint configuration with the label schema.</param>
public sealed partial class LabelNotRfc3339(DockerfileLintConfig config) : LabelSchemaCheck(config)
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-066",
        Title = "Label is not an RFC 3339 date and time",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Labels typed `rfc3339` (such as `org.opencontainers.image.created`) are compared and sorted by tools; they must be a full date and time with a time zone, `2024-05-01T12:30:00Z`. Dates alone, local times without an offset and other formats are read differently by each tool, or not at all.",
        Remediation = "Pass the time from the build: `ARG CREATED` then `LABEL org.opencontainers.image.created=$CREATED`, with `--build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)`.",
        References = ["https://www.rfc-editor.org/rfc/rfc3339#section-5.6", "https://github.com/opencontainers/image-spec/blob/main/annotations.md"],
        Equivalents = ["Hadolint DL3053"],
        Examples =
        [
            new RuleExample("# .hadolint.yaml: {label-schema: {org.opencontainers.image.created: rfc3339}}\nFROM debian:12\nLABEL org.opencontainers.image.created=2024-05-01", true, "a date without a time"),
            new RuleExample("# .hadolint.yaml: {label-schema: {created: rfc3339}}\nFROM debian:12\nLABEL created=\"2024-05-01 12:30:00\"", true, "no time zone"),
            new RuleExample("# .hadolint.yaml: {label-schema: {created: rfc3339}}\nFROM debian:12\nLABEL created=2024-02-30T10:00:00Z", true, "there is no 30 February"),
            new RuleExample("# .hadolint.yaml: {label-schema: {created: rfc3339}}\nFROM debian:12\nLABEL created=2024-05-01T12:30:00Z", false),
            new RuleExample("# .hadolint.yaml: {label-schema: {created: rfc3339}}\nFROM debian:12\nLABEL created=2021-03-10T10:26:33.564595127+01:00", false, "fractions and offsets"),
        ],
    };

    protected override LabelType? Type => LabelType.Rfc3339;

    protected override string Expected => "an RFC 3339 date and time such as 2024-05-01T12:30:00Z";

    protected override bool IsValid(string value)
    {
        if (value.Length == 0)
        {
            return true;
        }

        var match = DateTime().Match(value);
        if (!match.Success)
        {
            return false;
        }

        int Part(string name) => int.Parse(match.Groups[name].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        var (year, month, day) = (Part("y"), Part("mo"), Part("d"));
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= System.DateTime.DaysInMonth(year, month)
            && Part("h") <= 23 && Part("mi") <= 59 && Part("s") <= 60
            && (!match.Groups["oh"].Success || (Part("oh") <= 23 && Part("om") <= 59));
    }

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[Tt](?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(\.\d+)?([Zz]|[+-](?<oh>\d{2}):(?<om>\d{2}))$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTime();
}
