namespace Strata.Secrets;

using System.Text.RegularExpressions;
using Strata.Core.Findings;

/// <summary>
/// Recognises secret-looking variable names and well-known credential formats in build text (Dockerfile
/// instructions, history <c>created_by</c> lines, URLs), and redacts them so that evidence can be printed.
/// Its few credential patterns are a fixed floor on purpose, apart from the rule catalog: masking decides what
/// is safe to print, so a configuration that disables a rule or allows a value must not unmask anything, and
/// every Dockerfile check masks its evidence without holding the run's scanner. Where the scanner is at hand,
/// <see cref="BuildStepText"/> checks the masked text with it as well.
/// </summary>
public static partial class SecretText
{
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "SECRETS", "TOKEN", "APIKEY", "CREDENTIAL", "CREDENTIALS", "PASSPHRASE",
    };

    /// <summary>Last words that make the name describe a secret rather than hold one (POSTGRES_PASSWORD_FILE, TOKEN_URL …).</summary>
    private static readonly HashSet<string> DescriptiveWords = new(StringComparer.Ordinal)
    {
        "FILE", "PATH", "DIR", "URL", "URI", "HOST", "PORT", "NAME", "USER", "USERNAME", "ID", "LENGTH", "SIZE", "TYPE", "VERSION",
        "EXPIRY", "EXPIRES", "TTL", "TIMEOUT", "HEADER", "FORMAT", "MODE", "ENABLED", "REQUIRED", "METHOD", "ALGORITHM", "LOCATION",
        "FINGERPRINT", "SERVER", "ENDPOINT", "REGION", "POLICY", "PREFIX", "KEYRING", "KEYSERVER", "SOCK", "SOCKET", "PROVIDER", "COMMAND", "CMD",
    };

    /// <summary>Words that mark public material (GPG_KEY of the official images is a key fingerprint).</summary>
    private static readonly HashSet<string> PublicWords = new(StringComparer.Ordinal) { "PUBLIC", "PUB", "GPG", "PGP" };

    /// <summary>Values that are switches, not secrets.</summary>
    private static readonly HashSet<string> NonSecretValues = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "yes", "no", "on", "off", "0", "1", "none", "null", "disabled", "enabled" };

    /// <summary>True for names such as DB_PASSWORD, GITHUB_TOKEN, apiKey, AWS_SECRET_ACCESS_KEY, PRIVATE_KEY, STRIPE_KEY.</summary>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var words = CamelBoundary().Replace(name, "$1_$2").ToUpperInvariant().Split(['_', '-', '.'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words.Any(PublicWords.Contains) || DescriptiveWords.Contains(words[^1]))
        {
            return false;
        }

        if (words is ["PWD"])
        {
            // The shell's working directory.
            return false;
        }

        for (var i = 0; i < words.Length; i++)
        {
            if (SecretWords.Contains(words[i]))
            {
                return true;
            }

            // API_KEY, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY, STRIPE_KEY, APP_KEY: a KEY after some qualifier.
            if (words[i] is "KEY" or "KEYS" && i > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a value of a secret-named variable is worth reporting (not empty, not a switch).</summary>
    public static bool IsPlausibleSecretValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        return trimmed.Length > 0 && !NonSecretValues.Contains(trimmed);
    }

    /// <summary>
    /// <paramref name="text"/> with credentials of a known format, URL passwords and the values of
    /// secret-named assignments (NAME=value, ENV NAME value, --password value) replaced by their redaction.
    /// </summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = MaskMessage(text);
        masked = Assignment().Replace(masked, m =>
            IsSecretName(m.Groups["name"].Value) && IsPlausibleSecretValue(m.Groups["value"].Value.Trim('"', '\''))
                ? m.Groups["name"].Value + "=" + Redaction.Redact(m.Groups["value"].Value)
                : m.Value);

        // ENV NAME value (legacy form), --password value, NAME = value (an ini file's line) and NAME := value: the word
        // after a secret-looking name, or after the operator that follows it; NAME TYPE = value (Go's var): the word
        // after the type and the operator too.
        var tokens = Whitespace().Split(masked);
        for (var i = 0; i + 2 < tokens.Length; i += 2)
        {
            var name = tokens[i].TrimStart('-');
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || !IsSecretName(name))
            {
                continue;
            }

            // The value: after the operator, after a declared type and its operator, or the next word.
            MaskToken(tokens, IsOperator(tokens[i + 2]) && i + 4 < tokens.Length ? i + 4
                : i + 6 < tokens.Length && IsOperator(tokens[i + 4]) && TypeWord().IsMatch(tokens[i + 2]) ? i + 6
                : i + 2);
        }

        masked = string.Concat(tokens);
        return masked;
    }

    /// <summary>
    /// A message (an error, a warning, a log line, as printed or reported) with credentials of a known format and URL
    /// passwords redacted wherever they stand. The last check at the output: what a message quotes from input has been
    /// through <see cref="Redaction.Quote"/> already, but a path or a name given whole may still carry a token.
    /// </summary>
    public static string MaskMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var masked = KnownSecret().Replace(message, m => Redaction.Redact(m.Value));
        return UrlPassword().Replace(masked, m => m.Value.Replace(m.Groups["secret"].Value, Redaction.Redact(m.Groups["secret"].Value), StringComparison.Ordinal));
    }

    private static void MaskToken(string[] tokens, int value)
    {
        if (IsPlausibleSecretValue(tokens[value].Trim('"', '\'')) && !tokens[value].Contains("…(", StringComparison.Ordinal))
        {
            tokens[value] = Redaction.Redact(tokens[value]);
        }
    }

    private static bool IsOperator(string token) => token is "=" or ":" or ":=" or "::=" or ":::=" or "?=" or "+=" or ".=" or "=>";

    [GeneratedRegex(@"([a-z])([A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex CamelBoundary();

    /// <summary>A declared type between a name and its operator (Go's <c>var apiKey string = …</c>).</summary>
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\[\]*]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeWord();

    [GeneratedRegex(
        @"(?<AWS_access_key_ID>\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)|(?<GitHub_token>\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{22,})|(?<GitLab_token>\bglpat-[A-Za-z0-9_\-]{20,})|(?<Slack_token>\bxox[abposr]-[A-Za-z0-9-]{10,})|(?<Stripe_key>\b[sr]k_live_[A-Za-z0-9]{20,})|(?<Google_API_key>\bAIza[0-9A-Za-z_\-]{35})|(?<npm_token>\bnpm_[A-Za-z0-9]{36}\b)|(?<private_key>-----BEGIN[A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END[A-Z ]*PRIVATE KEY-----|[\s\S]*))|(?<JSON_Web_Token>\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})",
        RegexOptions.CultureInvariant)]
    private static partial Regex KnownSecret();

    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.\-]*://(?:(?<secret>[^/\s:@'""]{16,}):x-oauth-basic|[^/\s:@'""]+:(?<secret>[^/\s@'""]+))@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?<name>[A-Za-z_\-][A-Za-z0-9_\-]*)=(?<value>""[^""]*""|'[^']*'|[^\s;&|]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"(\s+)", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
