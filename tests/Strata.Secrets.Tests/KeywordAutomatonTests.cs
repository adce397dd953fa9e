namespace Strata.Secrets.Tests;

using System.Text;

public sealed class KeywordAutomatonTests
{
    [Fact]
    public void Every_occurrence_of_every_keyword_is_reported_case_insensitively()
    {
        string[] keywords = ["he", "she", "his", "hers", "akia"];
        var automaton = new KeywordAutomaton(keywords);
        var text = "uSHErs said HIS AKIA key akiakia";
        var sink = new Collector();
        automaton.Scan(Encoding.ASCII.GetBytes(text), ref sink);

        // Compare with a naive search over the lower-cased text.
        var expected = new List<(int, int)>();
        var lower = text.ToLowerInvariant();
        for (var end = 1; end <= lower.Length; end++)
        {
            for (var k = 0; k < keywords.Length; k++)
            {
                if (end >= keywords[k].Length && lower.AsSpan(end - keywords[k].Length, keywords[k].Length).SequenceEqual(keywords[k]))
                {
                    expected.Add((k, end));
                }
            }
        }

        Assert.Equal(expected.Order(), sink.Hits.Order());
        Assert.Contains((4, 32), sink.Hits);
    }

    private struct Collector : IKeywordSink
    {
        public Collector()
        {
        }

        public List<(int Keyword, int End)> Hits { get; } = [];

        public readonly void OnHit(int keyword, int end) => Hits.Add((keyword, end));
    }
}
