namespace Strata.Secrets.Tests;

using System.Text;

/// <summary>The prefilter skips text between keywords; the hits (and their order) must be those of a pass over every byte.</summary>
public sealed class KeywordPrefilterTests
{
    [Fact]
    public void Skipping_reports_what_every_byte_reports_for_the_built_in_keywords()
    {
        var keywords = SecretScanner.BuiltInRules.SelectMany(r => r.Keywords).Distinct(StringComparer.Ordinal).ToList();
        var automaton = new KeywordAutomaton(keywords);
        var random = new Random(11);
        for (var round = 0; round < 300; round++)
        {
            var text = RandomText(random, keywords, random.Next(0, 3000));
            AssertSameHits(automaton, text);
        }
    }

    [Fact]
    public void Two_byte_keywords_are_found_anywhere_including_the_last_two_bytes()
    {
        string[] keywords = ["q~", "Ab", "abc", "xyz12"];
        var automaton = new KeywordAutomaton(keywords);
        foreach (var text in new[] { "q~", "xq~", "q~q~q", "aB", "zzzzzzzzzzzzab", "ABC", "....xYz12xyz1", "q", string.Empty, "aaaaaaaaaaaaaaaaaaaaaaaaaq~" })
        {
            AssertSameHits(automaton, Encoding.Latin1.GetBytes(text));
        }

        var random = new Random(5);
        for (var round = 0; round < 300; round++)
        {
            AssertSameHits(automaton, RandomText(random, keywords, random.Next(0, 200)));
        }
    }

    [Fact]
    public void A_one_byte_keyword_scans_every_byte()
    {
        string[] keywords = ["k", "key"];
        var automaton = new KeywordAutomaton(keywords);
        AssertSameHits(automaton, Encoding.ASCII.GetBytes("a KEY, a k, kkey"));
    }

    private static void AssertSameHits(KeywordAutomaton automaton, byte[] text)
    {
        var every = new Collector();
        automaton.ScanEveryByte(text, ref every);
        var skipping = new Collector();
        automaton.Scan(text, ref skipping);
        Assert.Equal(every.Hits, skipping.Hits);
    }

    /// <summary>Words, keywords in mixed case, punctuation, bytes of every value: dense with near-misses.</summary>
    private static byte[] RandomText(Random random, IReadOnlyList<string> keywords, int pieces)
    {
        var text = new List<byte>();
        for (var p = 0; p < pieces; p++)
        {
            switch (random.Next(6))
            {
                case 0:
                    var keyword = keywords[random.Next(keywords.Count)];
                    var cut = random.Next(2) == 0 ? keyword.Length : random.Next(1, keyword.Length + 1);
                    foreach (var c in keyword[..cut])
                    {
                        text.Add((byte)(random.Next(2) == 0 ? char.ToUpperInvariant(c) : c));
                    }

                    break;
                case 1:
                    text.Add((byte)random.Next(256));
                    break;
                case 2:
                    text.Add((byte)" _-=:./~\n"[random.Next(9)]);
                    break;
                default:
                    text.Add((byte)random.Next('a', 'z' + 1));
                    break;
            }
        }

        return [.. text];
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
