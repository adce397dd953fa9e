namespace Strata.Secrets;

using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using YamlDotNet.RepresentationModel;

/// <summary>
/// A <c>strata-secrets.yaml</c>: rules to add (same format as the built-in catalog), built-in
/// rules to disable, and paths and values to allow. Merged with the built-ins by <see cref="SecretScanner"/>.
/// <code>
/// rules:            # extra rules, same keys as the built-in catalog
///   - id: SEC-ACME-TOKEN
///     ...
/// disable: [SEC-GENERIC-PASSWORD]
/// allow:
///   paths: ["srv/fixtures/**"]
///   regexes: ["^acme_test_"]
/// </code>
/// </summary>
public sealed class SecretScannerConfig
{
    public const string DefaultName = "strata-secrets.yaml";

    private static readonly HashSet<string> TopKeys = new(StringComparer.Ordinal) { "rules", "disable", "allow" };

    /// <summary>Where the configuration came from, for messages.</summary>
    public string Source { get; init; } = DefaultName;

    /// <summary>Rules to add; one with the ID of a built-in rule replaces it.</summary>
    public IReadOnlyList<SecretRule> Rules { get; init; } = [];

    /// <summary>Rule IDs not to run.</summary>
    public IReadOnlyList<string> Disable { get; init; } = [];

    /// <summary>Globs of paths not to scan.</summary>
    public IReadOnlyList<string> AllowPaths { get; init; } = [];

    /// <summary>A match whose secret or text matches one of these is not reported.</summary>
    public IReadOnlyList<Regex> AllowRegexes { get; init; } = [];

    /// <summary>True when <see cref="Disable"/> names the rule.</summary>
    public bool Disables(string ruleId) => Disable.Contains(ruleId, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The rules a scanner with this configuration runs, ordered by ID: <paramref name="builtIns"/>, replaced or
    /// extended by <see cref="Rules"/>, less <see cref="Disable"/>. Disable may also name
    /// <see cref="SecretNamedVariable"/>'s rule, which is not a pattern.
    /// </summary>
    /// <exception cref="StrataException">disable names a rule that does not exist.</exception>
    internal IReadOnlyList<SecretRule> Apply(IEnumerable<SecretRule> builtIns)
    {
        var byId = new Dictionary<string, SecretRule>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in builtIns.Concat(Rules))
        {
            byId[rule.Id] = rule;
        }

        foreach (var id in Disable)
        {
            if (!byId.Remove(id) && !string.Equals(id, SecretNamedVariable.Rule.Id, StringComparison.OrdinalIgnoreCase))
            {
                throw StrataException.BadInput($"{Source}: disable names unknown rule '{Redaction.Quote(id)}'.");
            }
        }

        return [.. byId.Values.OrderBy(r => r.Id, StringComparer.Ordinal)];
    }

    public static SecretScannerConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw StrataException.Usage($"{path}: secret scanner configuration not found.");
        }

        return Parse(BoundedFile.ReadAllText(path, Limits.Default.MaxDocumentBytes, "a secret scanner configuration"), path);
    }

    public static SecretScannerConfig Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = SecretRuleReader.LoadDocument(text, source);
        foreach (var key in root.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!TopKeys.Contains(name))
            {
                throw StrataException.BadInput($"{source}:{key.Start.Line}: unknown key '{Redaction.Quote(name)}' (rules, disable, allow).");
            }
        }

        IReadOnlyList<string> allowPaths = [];
        var allowRegexes = new List<Regex>();
        if (root.Children.TryGetValue(new YamlScalarNode("allow"), out var allowNode))
        {
            if (allowNode is not YamlMappingNode allow)
            {
                throw StrataException.BadInput($"{source}:{allowNode.Start.Line}: 'allow' must be a mapping with paths and regexes.");
            }

            allowPaths = SecretRuleReader.StringList(allow, "paths", source);
            foreach (var pattern in SecretRuleReader.StringList(allow, "regexes", source))
            {
                allowRegexes.Add(SecretRuleReader.CompileAllow(pattern, $"{source}:{allow.Start.Line}: allow"));
            }
        }

        return new SecretScannerConfig
        {
            Source = source,
            Rules = SecretRuleReader.ParseRules(root, source),
            Disable = SecretRuleReader.StringList(root, "disable", source),
            AllowPaths = allowPaths,
            AllowRegexes = allowRegexes,
        };
    }
}
