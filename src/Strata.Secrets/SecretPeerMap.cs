namespace Strata.Secrets;

using System.Globalization;
using System.Reflection;
using System.Text;
using Strata.Core;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;

/// <summary>One rule of a peer scanner and what Strata has for it.</summary>
/// <param name="Peer">The peer's id (gitleaks, trivy, detect-secrets, secretlint).</param>
/// <param name="Id">The rule as the peer names it (a rule id, a detector class, a rule package).</param>
/// <param name="Provider">The provider, or kind of secret, the rule detects.</param>
/// <param name="Strata">The Strata rules that find what it finds; empty when there is none.</param>
/// <param name="None">Why Strata has no equivalent; null when it has one.</param>
/// <param name="NotSecret">The peer rule reports something that is not a credential (a client ID, a public key, an address).</param>
public sealed record PeerSecretRule(string Peer, string Id, string Provider, IReadOnlyList<string> Strata, string? None, bool NotSecret);

/// <summary>A peer scanner and its secret rules, every one listed once.</summary>
public sealed record SecretPeer(string Id, string Name, string Url, string Catalog, string Revision, string? Note, IReadOnlyList<PeerSecretRule> Rules);

/// <summary>
/// The secret rules of gitleaks, Trivy, detect-secrets and secretlint mapped to Strata's (Rules/secret-peers.yaml):
/// the provider of every built-in rule, and for every peer rule its equivalents or why there is none. Rendered as
/// docs/rules/secrets-peers.md.
/// </summary>
public sealed class SecretPeerMap
{
    private const string ResourceName = "Strata.Secrets.Rules.secret-peers.yaml";

    private static readonly Lazy<SecretPeerMap> BuiltInMap = new(LoadBuiltIn);

    private SecretPeerMap(IReadOnlyDictionary<string, string> providers, IReadOnlyList<SecretPeer> peers)
    {
        Providers = providers;
        Peers = peers;
    }

    /// <summary>The map embedded in this assembly.</summary>
    public static SecretPeerMap BuiltIn => BuiltInMap.Value;

    /// <summary>Every built-in SEC- rule and the provider (or kind of secret) it detects, in catalog order.</summary>
    public IReadOnlyDictionary<string, string> Providers { get; }

    public IReadOnlyList<SecretPeer> Peers { get; }

    public IEnumerable<PeerSecretRule> AllPeerRules => Peers.SelectMany(p => p.Rules);

    /// <summary>The peer rules that name <paramref name="strataRuleId"/> among their equivalents.</summary>
    public IEnumerable<PeerSecretRule> EquivalentsOf(string strataRuleId) =>
        AllPeerRules.Where(r => r.Strata.Contains(strataRuleId, StringComparer.Ordinal));

    /// <summary>
    /// Providers that credential rules of at least <paramref name="peers"/> different peers detect (rules marked
    /// not-secret do not count), with whether a Strata rule of that provider is an equivalent of one of them.
    /// </summary>
    public IReadOnlyList<(string Provider, IReadOnlyList<string> Peers, bool Covered)> ProvidersDetectedBy(int peers)
    {
        var result = new List<(string, IReadOnlyList<string>, bool)>();
        foreach (var group in AllPeerRules.Where(r => !r.NotSecret).GroupBy(r => r.Provider, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var detectedBy = group.Select(r => r.Peer).Distinct(StringComparer.Ordinal).ToList();
            if (detectedBy.Count < peers)
            {
                continue;
            }

            var covered = group.SelectMany(r => r.Strata).Any(id => Providers.TryGetValue(id, out var provider) && provider == group.Key);
            result.Add((group.Key, detectedBy, covered));
        }

        return result;
    }

    public static SecretPeerMap Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = SecretRuleReader.LoadDocument(text, source);
        var providers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(root, "providers", source) is not YamlMappingNode providerMap)
        {
            throw StrataException.BadInput($"{source}:{root.Start.Line}: 'providers' must be a mapping of rule IDs to providers.");
        }

        foreach (var (key, value) in providerMap.Children)
        {
            if (key is not YamlScalarNode { Value: { Length: > 0 } id } || value is not YamlScalarNode { Value: { Length: > 0 } provider })
            {
                throw StrataException.BadInput($"{source}:{key.Start.Line}: a provider entry must map a rule ID to a name.");
            }

            providers[id] = provider;
        }

        if (Child(root, "peers", source) is not YamlSequenceNode peerList)
        {
            throw StrataException.BadInput($"{source}:{root.Start.Line}: 'peers' must be a list.");
        }

        var peers = new List<SecretPeer>();
        foreach (var node in peerList)
        {
            if (node is not YamlMappingNode peer)
            {
                throw StrataException.BadInput($"{source}:{node.Start.Line}: a peer must be a mapping.");
            }

            var peerId = Required(peer, "id", source);
            if (Child(peer, "rules", source) is not YamlSequenceNode ruleList)
            {
                throw StrataException.BadInput($"{source}:{peer.Start.Line}: peer {peerId} needs a 'rules' list.");
            }

            var rules = new List<PeerSecretRule>();
            foreach (var item in ruleList)
            {
                if (item is not YamlMappingNode rule)
                {
                    throw StrataException.BadInput($"{source}:{item.Start.Line}: a peer rule must be a mapping.");
                }

                var strata = SecretRuleReader.StringList(rule, "strata", source);
                var none = Optional(rule, "none", source);
                if ((strata.Count == 0) == (none is null))
                {
                    throw StrataException.BadInput($"{source}:{rule.Start.Line}: a peer rule needs either 'strata' or 'none'.");
                }

                rules.Add(new PeerSecretRule(peerId, Required(rule, "id", source), Required(rule, "provider", source), strata, none,
                    Optional(rule, "notSecret", source) is "true"));
            }

            peers.Add(new SecretPeer(peerId, Required(peer, "name", source), Required(peer, "url", source), Required(peer, "catalog", source),
                Required(peer, "revision", source), Optional(peer, "note", source), rules));
        }

        return new SecretPeerMap(providers, peers);
    }

    /// <summary>The map as the Markdown page docs/rules/secrets-peers.md: every SEC rule with its equivalents, then the peer rules Strata has none for.</summary>
    public string Markdown(IEnumerable<Rule> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var sec = catalog.Where(r => r.Id.StartsWith("SEC-", StringComparison.Ordinal)).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var page = new StringBuilder();
        page.Append("# Secret rules and their equivalents in gitleaks, Trivy, detect-secrets and secretlint\n\n")
            .Append("Generated from `src/Strata.Secrets/Rules/secret-peers.yaml` (`strata rules docs docs/rules`). Each secret rule with the\n")
            .Append("provider it detects and the peer rules that find the same thing; then every peer rule Strata has no equivalent for, with\n")
            .Append("the reason. See [docs/secrets.md](../secrets.md) for how the scan works.\n\n")
            .Append("| Peer | Catalog | Rules | With an equivalent | Without | Of those, not a secret |\n|---|---|---|---|---|---|\n");
        foreach (var peer in Peers)
        {
            var mapped = peer.Rules.Count(r => r.Strata.Count > 0);
            page.Append(CultureInfo.InvariantCulture, $"| [{peer.Name}]({peer.Url}) | `{peer.Catalog}` at {peer.Revision[..Math.Min(12, peer.Revision.Length)]} | {peer.Rules.Count} | {mapped} | {peer.Rules.Count - mapped} | {peer.Rules.Count(r => r.NotSecret)} |\n");
        }

        var shared = ProvidersDetectedBy(2);
        page.Append(CultureInfo.InvariantCulture, $"\n{shared.Count(p => p.Covered)} of the {shared.Count} providers that two or more peers detect have a Strata rule")
            .Append(shared.All(p => p.Covered) ? ".\n\n" : ": missing " + string.Join(", ", shared.Where(p => !p.Covered).Select(p => p.Provider)) + ".\n\n")
            .Append("| Rule | Provider | ").Append(string.Join(" | ", Peers.Select(p => p.Name))).Append(" |\n|---|---|")
            .Append(string.Concat(Peers.Select(_ => "---|"))).Append('\n');
        foreach (var rule in sec)
        {
            var provider = Providers.TryGetValue(rule.Id, out var name) ? name : "—";
            page.Append(CultureInfo.InvariantCulture, $"| [{rule.Id}]({rule.Id}.md) | {provider} |");
            foreach (var peer in Peers)
            {
                var ids = peer.Rules.Where(r => r.Strata.Contains(rule.Id, StringComparer.Ordinal)).Select(r => r.Id).ToList();
                page.Append(' ').Append(ids.Count == 0 ? "—" : string.Join(", ", ids)).Append(" |");
            }

            page.Append('\n');
        }

        page.Append("\n## Peer rules without an equivalent\n\n| Peer | Rule | Provider | Why |\n|---|---|---|---|\n");
        foreach (var rule in AllPeerRules.Where(r => r.None is not null))
        {
            page.Append(CultureInfo.InvariantCulture, $"| {rule.Peer} | {rule.Id} | {rule.Provider} | {rule.None} |\n");
        }

        foreach (var peer in Peers.Where(p => p.Note is not null))
        {
            page.Append(CultureInfo.InvariantCulture, $"\n{peer.Name}: {peer.Note}\n");
        }

        return page.ToString();
    }

    private static SecretPeerMap LoadBuiltIn()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), "secret-peers.yaml");
    }

    private static YamlNode? Child(YamlMappingNode map, string key, string source) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Optional(YamlMappingNode map, string key, string source) => Child(map, key, source) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value,
        var other => throw StrataException.BadInput($"{source}:{other.Start.Line}: '{key}' must be a single value."),
    };

    private static string Required(YamlMappingNode map, string key, string source) =>
        Optional(map, key, source) is { Length: > 0 } value ? value : throw StrataException.BadInput($"{source}:{map.Start.Line}: needs '{key}'.");
}
