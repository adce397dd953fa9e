namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A label the schema types as spdx whose value is not an SPDX license identifier.</summary>
/// <param name="config">The lint configuration with the label schema.</param>
public sealed class LabelNotSpdx(DockerfileLintConfig config) : LabelSchemaCheck(config)
{
    private static readonly Lazy<HashSet<string>> LicenseIds = new(ReadLicenseIds);

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-067",
        Title = "Label is not an SPDX license identifier",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Labels typed `spdx` (such as `org.opencontainers.image.licenses`) are read by licence scanners and SBOM tools, which only recognise identifiers of the SPDX License List (`Apache-2.0`, `MIT`, `GPL-3.0-only`); free text such as `Apache 2` or `BSD` leaves the licence unknown. As hadolint does, one identifier is expected (not an expression such as `MIT OR Apache-2.0`); matching ignores case.",
        Remediation = "Use the identifier from https://spdx.org/licenses/: `LABEL org.opencontainers.image.licenses=Apache-2.0`. Leave the label out of the schema's spdx type when images carry licence expressions.",
        References = ["https://spdx.org/licenses/", "https://github.com/opencontainers/image-spec/blob/main/annotations.md"],
        Equivalents = ["Hadolint DL3054"],
        Examples =
        [
            new RuleExample("# .hadolint.yaml: {label-schema: {org.opencontainers.image.licenses: spdx}}\nFROM debian:12\nLABEL org.opencontainers.image.licenses=\"Apache 2\"", true),
            new RuleExample("# .hadolint.yaml: {label-schema: {license: spdx}}\nFROM debian:12\nLABEL license=proprietary", true),
            new RuleExample("# .hadolint.yaml: {label-schema: {license: spdx}}\nFROM debian:12\nLABEL license=BSD-3-Clause", false),
            new RuleExample("# .hadolint.yaml: {label-schema: {license: spdx}}\nFROM debian:12\nLABEL license=mit", false, "identifiers are matched without case"),
        ],
    };

    protected override LabelType? Type => LabelType.Spdx;

    protected override string Expected => "an SPDX license identifier such as Apache-2.0";

    protected override bool IsValid(string value) => value.Length == 0 || LicenseIds.Value.Contains(value.Trim());

    private static HashSet<string> ReadLicenseIds()
    {
        using var stream = typeof(LabelNotSpdx).Assembly.GetManifestResourceStream("Strata.Images.Dockerfile.Data.spdx-license-ids.txt")
            ?? throw new InvalidOperationException("The SPDX license list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                ids.Add(line);
            }
        }

        return ids;
    }
}
