namespace Strata.Secrets;

using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Secrets.Assignments;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Documents;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads secret rules from YAML: the built-in catalog and the <c>rules:</c> of a
/// <c>strata-secrets.yaml</c>. Every error names the source and line.
/// </summary>
public static partial class SecretRuleReader
{
    private const int DefaultWindowBefore = 256;
    private const int DefaultWindowAfter = 512;

    /// <summary>The largest window a rule may ask for; the scanner's chunk overlap is larger.</summary>
    internal const int MaxWindow = 24 * 1024;

    private static readonly HashSet<string> RuleKeys = new(StringComparer.Ordinal)
    {
        "id", "title", "severity", "keywords", "regex", "entropy", "allow", "window", "precedence", "validate", "evidence",
        "explanation", "remediation", "references", "examples",
    };

    /// <summary>Loads a YAML document and returns its root mapping, bounded in size.</summary>
    internal static YamlMappingNode LoadDocument(string text, string source)
    {
        if (text.Length > Limits.Default.MaxDocumentBytes)
        {
            throw StrataException.BadInput($"{source}: larger than {Limits.Default.MaxDocumentBytes} bytes.");
        }

        var stream = YamlSource.LoadStream(text, source);

        if (stream.Documents.Count == 0)
        {
            return new YamlMappingNode();
        }

        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw StrataException.BadInput($"{source}:{stream.Documents[0].RootNode.Start.Line}: expected a mapping at the top level.");
    }

    /// <summary>Parses a document whose top level has a <c>rules:</c> list.</summary>
    public static IReadOnlyList<SecretRule> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = LoadDocument(text, source);
        return ParseRules(root, source);
    }

    internal static IReadOnlyList<SecretRule> ParseRules(YamlMappingNode root, string source)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("rules"), out var rulesNode))
        {
            return [];
        }

        if (rulesNode is not YamlSequenceNode list)
        {
            throw StrataException.BadInput($"{source}:{rulesNode.Start.Line}: 'rules' must be a list.");
        }

        var rules = new List<SecretRule>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in list)
        {
            var rule = ParseRule(node, source);
            if (!ids.Add(rule.Id))
            {
                throw StrataException.BadInput($"{source}:{node.Start.Line}: rule {rule.Id} is defined twice.");
            }

            rules.Add(rule);
        }

        return rules;
    }

    private static SecretRule ParseRule(YamlNode node, string source)
    {
        if (node is not YamlMappingNode map)
        {
            throw StrataException.BadInput($"{source}:{node.Start.Line}: a rule must be a mapping.");
        }

        var line = node.Start.Line;
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!RuleKeys.Contains(name))
            {
                throw StrataException.BadInput($"{source}:{key.Start.Line}: unknown rule key '{Redaction.Quote(name)}'.");
            }
        }

        var id = RequiredScalar(map, "id", source);
        var where = $"{source}:{line}: rule {id}";
        if (!Regex.IsMatch(id, "^SEC-[A-Z0-9]+(?:-[A-Z0-9]+)*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            throw StrataException.BadInput($"{where}: id must look like SEC-WORD-WORD (upper case letters, digits, dashes).");
        }

        var severityText = RequiredScalar(map, "severity", source);
        if (!SeverityNames.TryParse(severityText, out var severity) || severity == Severity.Info)
        {
            throw StrataException.BadInput($"{where}: severity must be CRITICAL, HIGH, MEDIUM or LOW, not '{Redaction.Quote(severityText)}'.");
        }

        var keywords = StringList(map, "keywords", source).Select(k => k.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (keywords.Count == 0 || keywords.Any(k => k.Length < 2 || k.Any(c => c > 127)))
        {
            throw StrataException.BadInput($"{where}: needs at least one ASCII keyword of two or more characters.");
        }

        var pattern = AssignmentPattern.Expand(RequiredScalar(map, "regex", source), where);
        ValidatePattern(pattern, where);

        double? entropy = null;
        if (OptionalScalar(map, "entropy", source) is string entropyText)
        {
            if (!double.TryParse(entropyText, NumberStyles.Float, CultureInfo.InvariantCulture, out var floor) || floor is < 0 or > 8)
            {
                throw StrataException.BadInput($"{where}: entropy must be a number of bits per character between 0 and 8.");
            }

            entropy = floor;
        }

        var allow = StringList(map, "allow", source);
        foreach (var allowPattern in allow)
        {
            ValidateAllow(allowPattern, where);
        }

        var (before, after) = ParseWindow(map, where);
        var precedence = 0;
        if (OptionalScalar(map, "precedence", source) is string precedenceText
            && !int.TryParse(precedenceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out precedence))
        {
            throw StrataException.BadInput($"{where}: precedence must be an integer.");
        }

        var validation = OptionalScalar(map, "validate", source) switch
        {
            null => SecretValidation.None,
            "jwt" => SecretValidation.Jwt,
            "base64-user-password" => SecretValidation.Base64UserPassword,
            "openssh-unencrypted" => SecretValidation.OpenSshUnencrypted,
            "openssh-encrypted" => SecretValidation.OpenSshEncrypted,
            "crc32-base62" => SecretValidation.Crc32Base62,
            "openai-watermark" => SecretValidation.OpenAiWatermark,
            "sentry-org-token" => SecretValidation.SentryOrgToken,
            "pem-der" => SecretValidation.PemDer,
            "pgp-unprotected" => SecretValidation.PgpUnprotected,
            "pgp-protected" => SecretValidation.PgpProtected,
            "pkcs12-unprotected" => SecretValidation.Pkcs12Unprotected,
            "pkcs12-protected" => SecretValidation.Pkcs12Protected,
            "ssh2-unencrypted" => SecretValidation.Ssh2Unencrypted,
            "ssh2-encrypted" => SecretValidation.Ssh2Encrypted,
            "pem-base64" => SecretValidation.PemBase64,
            "keyword-assignment" => SecretValidation.KeywordAssignment,
            var other => throw StrataException.BadInput($"{where}: unknown validate '{Redaction.Quote(other)}' (jwt, base64-user-password, openssh-unencrypted, openssh-encrypted, crc32-base62, openai-watermark, sentry-org-token, pem-der, pgp-unprotected, pgp-protected, pkcs12-unprotected, pkcs12-protected, ssh2-unencrypted, ssh2-encrypted, pem-base64, keyword-assignment)."),
        };

        EvidenceKind? evidence = null;
        if (OptionalScalar(map, "evidence", source) is string evidenceText)
        {
            evidence = EvidenceKindNames.TryParse(evidenceText, out var kind)
                ? kind
                : throw StrataException.BadInput($"{where}: unknown evidence '{Redaction.Quote(evidenceText)}' ({EvidenceKindNames.All}).");
        }

        var (matches, noMatches, informational) = ParseExamples(map, source, where);
        return new SecretRule(
            id,
            RequiredScalar(map, "title", source),
            severity,
            keywords,
            pattern,
            entropy,
            allow,
            before,
            after,
            precedence,
            validation,
            RequiredScalar(map, "explanation", source),
            RequiredScalar(map, "remediation", source),
            StringList(map, "references", source),
            matches,
            noMatches)
        {
            Evidence = evidence ?? SecretRule.DefaultEvidence(validation, precedence),
            InformationalExamples = informational,
        };
    }

    private static void ValidatePattern(string pattern, string where)
    {
        Regex parsed;
        try
        {
            parsed = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, SecretRule.MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw StrataException.BadInput($"{where}: invalid regex: {RegexError(e)}.");
        }

        if (parsed.GroupNumberFromName("secret") < 0)
        {
            throw StrataException.BadInput($"{where}: the regex needs a named group 'secret'.");
        }
    }

    /// <summary>
    /// Checks an allow pattern's syntax with the cheap interpreter parse; the rule compiles it for matching only when it
    /// first has a match to filter (the linear-time engine costs more to build, and the catalog has dozens).
    /// </summary>
    private static void ValidateAllow(string pattern, string where)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, SecretRule.MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw StrataException.BadInput($"{where}: invalid allow regex: {RegexError(e)}.");
        }
    }

    internal static Regex CompileAllow(string pattern, string where)
    {
        try
        {
            return SecretRule.CompilePattern(pattern);
        }
        catch (ArgumentException e)
        {
            throw StrataException.BadInput($"{where}: invalid allow regex: {RegexError(e)}.");
        }
    }

    /// <summary>
    /// Why a regex does not parse, without the regex: an allow regex may be the very secret it allows, and .NET's
    /// message quotes the pattern whole (so the exception is not kept as the inner one either).
    /// </summary>
    private static string RegexError(ArgumentException e) => e is RegexParseException parse
        ? string.Create(CultureInfo.InvariantCulture, $"{CamelWords().Replace(parse.Error.ToString(), " $1").ToLowerInvariant().Trim()} at character {parse.Offset} (the regex is not shown: it may be a secret)")
        : "it does not parse (the regex is not shown: it may be a secret)";

    private static (int Before, int After) ParseWindow(YamlMappingNode map, string where)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode("window"), out var node))
        {
            return (DefaultWindowBefore, DefaultWindowAfter);
        }

        if (node is not YamlMappingNode window)
        {
            throw StrataException.BadInput($"{where}: window must be a mapping with before and after.");
        }

        int Read(string key, int fallback)
        {
            if (!window.Children.TryGetValue(new YamlScalarNode(key), out var value))
            {
                return fallback;
            }

            if (value is not YamlScalarNode scalar || !int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number is < 0 or > MaxWindow)
            {
                throw StrataException.BadInput($"{where}: window.{key} must be an integer between 0 and {MaxWindow}.");
            }

            return number;
        }

        return (Read("before", DefaultWindowBefore), Read("after", DefaultWindowAfter));
    }

    private static (IReadOnlyList<string> Match, IReadOnlyList<string> NoMatch, IReadOnlyList<string> Informational) ParseExamples(YamlMappingNode map, string source, string where)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode("examples"), out var node))
        {
            return ([], [], []);
        }

        if (node is not YamlMappingNode examples)
        {
            throw StrataException.BadInput($"{where}: examples must be a mapping with match, noMatch and informational lists.");
        }

        return (StringList(examples, "match", source), StringList(examples, "noMatch", source), StringList(examples, "informational", source));
    }

    private static string RequiredScalar(YamlMappingNode map, string key, string source)
    {
        if (OptionalScalar(map, key, source) is string { Length: > 0 } value)
        {
            return value;
        }

        throw StrataException.BadInput($"{source}:{map.Start.Line}: rule needs '{key}'.");
    }

    private static string? OptionalScalar(YamlMappingNode map, string key, string source)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        return node is YamlScalarNode scalar ? scalar.Value : throw StrataException.BadInput($"{source}:{node.Start.Line}: '{key}' must be a single value.");
    }

    internal static IReadOnlyList<string> StringList(YamlMappingNode map, string key, string source)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return [];
        }

        if (node is YamlScalarNode single)
        {
            return single.Value is null ? [] : [single.Value];
        }

        if (node is not YamlSequenceNode list)
        {
            throw StrataException.BadInput($"{source}:{node.Start.Line}: '{key}' must be a list.");
        }

        var values = new List<string>();
        foreach (var item in list)
        {
            values.Add(item is YamlScalarNode { Value: not null } scalar
                ? scalar.Value
                : throw StrataException.BadInput($"{source}:{item.Start.Line}: '{key}' must hold only strings."));
        }

        return values;
    }

    [GeneratedRegex("([A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex CamelWords();
}
