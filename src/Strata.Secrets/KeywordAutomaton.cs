namespace Strata.Secrets;

/// <summary>
/// Aho-Corasick over ASCII-lower-cased bytes, as a dense state table built once: one pass over a
/// chunk finds every occurrence of every rule keyword, whatever the number of rules. The table is
/// indexed by the raw byte (upper case folded into it) and holds each next state's row offset, negated
/// when a keyword ends there: one load and one sign test per byte.
/// </summary>
internal sealed class KeywordAutomaton
{
    private static readonly byte[] LowerCase = BuildLowerCase();

    private readonly int[] table;
    private readonly int[][] outputs;

    public KeywordAutomaton(IReadOnlyList<string> keywords)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        KeywordLengths = [.. keywords.Select(k => k.Length)];

        // Trie first, with sparse children; then breadth-first failure links folded into a dense table.
        var children = new List<Dictionary<byte, int>> { new() };
        var output = new List<List<int>> { new() };
        for (var k = 0; k < keywords.Count; k++)
        {
            var state = 0;
            foreach (var c in keywords[k])
            {
                var b = LowerCase[(byte)c];
                if (!children[state].TryGetValue(b, out var next))
                {
                    next = children.Count;
                    children.Add([]);
                    output.Add([]);
                    children[state][b] = next;
                }

                state = next;
            }

            output[state].Add(k);
        }

        var count = children.Count;
        var dense = new int[count * 256];
        var failure = new int[count];
        var queue = new Queue<int>();
        for (var b = 0; b < 256; b++)
        {
            if (children[0].TryGetValue((byte)b, out var next))
            {
                dense[b] = next;
                queue.Enqueue(next);
            }
        }

        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            output[state].AddRange(output[failure[state]]);
            for (var b = 0; b < 256; b++)
            {
                if (children[state].TryGetValue((byte)b, out var next))
                {
                    failure[next] = dense[(failure[state] * 256) + b];
                    dense[(state * 256) + b] = next;
                    queue.Enqueue(next);
                }
                else
                {
                    dense[(state * 256) + b] = dense[(failure[state] * 256) + b];
                }
            }
        }

        outputs = [.. output.Select(o => o.Distinct().ToArray())];
        table = new int[count * 256];
        for (var state = 0; state < count; state++)
        {
            for (var b = 0; b < 256; b++)
            {
                var next = dense[(state * 256) + LowerCase[b]];
                table[(state * 256) + b] = outputs[next].Length > 0 ? ~(next * 256) : next * 256;
            }
        }
    }

    public int[] KeywordLengths { get; }

    /// <summary>
    /// Calls <paramref name="sink"/> with (keyword index, index just past the hit) for every
    /// occurrence, in increasing end order.
    /// </summary>
    public void Scan<TSink>(ReadOnlySpan<byte> text, ref TSink sink)
        where TSink : struct, IKeywordSink
    {
        var row = 0;
        var transitions = table;
        for (var i = 0; i < text.Length; i++)
        {
            row = transitions[row + text[i]];
            if (row < 0)
            {
                row = ~row;
                foreach (var keyword in outputs[row >> 8])
                {
                    sink.OnHit(keyword, i + 1);
                }
            }
        }
    }

    private static byte[] BuildLowerCase()
    {
        var lower = new byte[256];
        for (var b = 0; b < 256; b++)
        {
            lower[b] = b is >= 'A' and <= 'Z' ? (byte)(b + 32) : (byte)b;
        }

        return lower;
    }
}

/// <summary>Receives keyword hits; a struct so the scan loop is not an interface call per hit.</summary>
internal interface IKeywordSink
{
    void OnHit(int keyword, int end);
}
