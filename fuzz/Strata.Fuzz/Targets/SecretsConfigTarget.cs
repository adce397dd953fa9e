namespace Strata.Fuzz.Targets;

using System.Text;
using Strata.Secrets;

/// <summary>
/// A <c>strata-secrets.yaml</c>: parsed (rules with their regexes, windows and examples, disable, allow lists),
/// merged with the built-in rules into a scanner, which then scans a short text and asks about a path.
/// </summary>
public sealed class SecretsConfigTarget : IFuzzTarget
{
    private const string Sample = "export ACME_TOKEN=acme_live_0123456789abcdef\npassword: correct-horse-battery\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n";

    public string Name => "secrets-config";

    public string Covers => "Secrets/SecretScannerConfig.Parse, SecretRuleReader (rules, regex and allow-regex compilation, windows, examples), the SecretScanner built from them";

    public ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var config = SecretScannerConfig.Parse(new UTF8Encoding(false).GetString(input), SecretScannerConfig.DefaultName);
        var scanner = new SecretScanner(config);
        scanner.ScanText(Sample, "app/.env");
        scanner.IsPathAllowed("srv/fixtures/keys/test.pem");
        return ValueTask.CompletedTask;
    }
}
