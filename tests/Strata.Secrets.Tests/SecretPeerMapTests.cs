namespace Strata.Secrets.Tests;

using Strata.Core;

/// <summary>The peer map (Rules/secret-peers.yaml) against the catalog: complete, consistent, and no shared provider left out.</summary>
public sealed class SecretPeerMapTests
{
    private static readonly SecretPeerMap Map = SecretPeerMap.BuiltIn;

    [Fact]
    public void Every_rule_id_in_the_map_exists_in_the_catalog()
    {
        var catalog = SecretScanner.BuiltInRules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = Map.Providers.Keys.Concat(Map.AllPeerRules.SelectMany(r => r.Strata)).Where(id => !catalog.Contains(id)).Distinct().ToList();
        Assert.True(unknown.Count == 0, "not in the catalog: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_catalog_rule_has_a_provider()
    {
        var missing = SecretScanner.BuiltInRules.Select(r => r.Id).Where(id => !Map.Providers.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, "no provider in secret-peers.yaml: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_peer_rule_is_listed_once()
    {
        Assert.Equal(["gitleaks", "trivy", "detect-secrets", "secretlint"], Map.Peers.Select(p => p.Id));
        var twice = Map.AllPeerRules.GroupBy(r => (r.Peer, r.Id)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Peer} {g.Key.Id}").ToList();
        Assert.True(twice.Count == 0, "listed more than once: " + string.Join(", ", twice));
        Assert.All(Map.AllPeerRules, r => Assert.Equal(r.Strata.Count, r.Strata.Distinct(StringComparer.Ordinal).Count()));
    }

    [Fact]
    public void A_peer_rule_without_an_equivalent_says_why()
    {
        Assert.All(Map.AllPeerRules, r => Assert.True((r.Strata.Count > 0) != (r.None is not null), $"{r.Peer} {r.Id}"));
        Assert.All(Map.AllPeerRules.Where(r => r.NotSecret), r => Assert.NotNull(r.None));
        Assert.All(Map.AllPeerRules.Where(r => r.None is not null), r => Assert.True(r.None!.Length >= 20, $"{r.Peer} {r.Id}: give the reason"));
    }

    [Fact]
    public void A_provider_that_two_peers_detect_has_a_strata_rule_of_that_provider()
    {
        var shared = Map.ProvidersDetectedBy(2);
        Assert.True(shared.Count >= 50, $"only {shared.Count} providers shared by two peers: is the map complete?");
        var missing = shared.Where(p => !p.Covered).Select(p => $"{p.Provider} ({string.Join(", ", p.Peers)})").ToList();
        Assert.True(missing.Count == 0, "detected by two or more peers, no Strata rule: " + string.Join("; ", missing));
    }

    [Fact]
    public void The_page_lists_every_secret_rule_and_every_rule_without_an_equivalent()
    {
        var catalog = SecretScanner.BuiltInRules.Select(r => r.ToRule()).ToList();
        var page = Map.Markdown(catalog);
        Assert.All(SecretScanner.BuiltInRules, r => Assert.Contains($"[{r.Id}]({r.Id}.md)", page, StringComparison.Ordinal));
        Assert.All(Map.AllPeerRules.Where(r => r.None is not null), r => Assert.Contains($"| {r.Peer} | {r.Id} |", page, StringComparison.Ordinal));
        Assert.Contains("have a Strata rule.", page, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_rule_with_neither_equivalents_nor_a_reason_is_refused_with_its_line()
    {
        const string Text = """
            providers:
              SEC-AWS-ACCESS-KEY-ID: AWS
            peers:
              - id: gitleaks
                name: gitleaks
                url: https://example.invalid
                catalog: config.toml
                revision: abc
                rules:
                  - { id: aws-access-token, provider: AWS }
            """;
        var e = Assert.Throws<StrataException>(() => SecretPeerMap.Parse(Text, "peers.yaml"));
        Assert.Contains("peers.yaml:10", e.Message, StringComparison.Ordinal);
    }
}
