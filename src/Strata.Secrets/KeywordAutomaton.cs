namespace Strata.Secrets;

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

/// <summary>
/// Aho-Corasick over ASCII-lower-cased bytes, as a dense state table built once: one pass over a
/// chunk finds every occurrence of every rule keyword, whatever the number of rules. The table is
/// indexed by the raw byte (upper case folded into it) and holds each next state's row offset, negated
/// when a keyword ends there: one load and one sign test per byte.
/// </summary>
/// <remarks>
/// Each automaton step depends on the one before (a load whose address is the previous load's result),
/// so the automaton alone runs at a few cycles per byte. Text between keywords is skipped with a
/// prefilter whose steps are independent of each other: a bitmap of the keywords' first three bytes
/// (hashed, case folded by setting bit 0x20, so it only ever says "maybe"). The automaton runs from
/// each position the prefilter names until no keyword match can be in progress, and reports exactly
/// the hits, in exactly the order, of a pass over every byte. The loops are compiled fully optimised at once: under the
/// JIT's tiering their first, unoptimised code would otherwise scan the first files without inlining.
/// </remarks>
internal sealed class KeywordAutomaton
{
    private static readonly byte[] LowerCase = BuildLowerCase();

    /// <summary>log2 of the prefilter's bits: 64 Ki bits (8 KiB), about 1% of them set for the built-in rules.</summary>
    private const int PrefilterBits = 16;

    private readonly int[] table;
    private readonly int[][] outputs;

    /// <summary>Length of each state's string, by state.</summary>
    private readonly int[] depths;

    /// <summary>Hashed first three bytes (each OR 0x20) of every keyword; null when a keyword is shorter than two bytes.</summary>
    private readonly ulong[]? prefilter;

    public KeywordAutomaton(IReadOnlyList<string> keywords)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        KeywordLengths = [.. keywords.Select(k => k.Length)];

        // Trie first, with sparse children; then breadth-first failure links folded into a dense table.
        var children = new List<Dictionary<byte, int>> { new() };
        var output = new List<List<int>> { new() };
        var depth = new List<int> { 0 };
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
                    depth.Add(depth[state] + 1);
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

        depths = [.. depth];
        prefilter = BuildPrefilter(keywords);
    }

    public int[] KeywordLengths { get; }

    /// <summary>
    /// Calls <paramref name="sink"/> with (keyword index, index just past the hit) for every
    /// occurrence, in increasing end order (for one end, in the order <see cref="ScanEveryByte"/> gives).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Scan<TSink>(ReadOnlySpan<byte> text, ref TSink sink)
        where TSink : struct, IKeywordSink
    {
        if (prefilter is not { } bits)
        {
            ScanEveryByte(text, ref sink);
            return;
        }

        // Why skipping is exact: a keyword of three bytes or more starts where the prefilter says "maybe"; one of two
        // bytes too (all its third bytes are in the bitmap), and the last two positions always count as "maybe". When the
        // automaton's state is at most two bytes deep and neither of its last two positions is a "maybe", no match in
        // progress can grow into a keyword, so the text up to the next "maybe" holds no hit; the automaton restarts there
        // from its root, and one byte later its state is again the one a pass over every byte would have.
        var row = 0;
        var transitions = table;
        var i = 0;
        while (i < text.Length)
        {
            if (depths[row >> 8] <= 2 && !MayStartAt(bits, text, i - 1) && !MayStartAt(bits, text, i - 2))
            {
                var next = NextMayStart(bits, text, i);
                if (next > i)
                {
                    row = 0;
                    i = next;
                    if (i >= text.Length)
                    {
                        break;
                    }
                }
            }

            row = transitions[row + text[i]];
            if (row < 0)
            {
                row = ~row;
                foreach (var keyword in outputs[row >> 8])
                {
                    sink.OnHit(keyword, i + 1);
                }
            }

            i++;
        }
    }

    /// <summary>The automaton over every byte: what <see cref="Scan"/> must equal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void ScanEveryByte<TSink>(ReadOnlySpan<byte> text, ref TSink sink)
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

    /// <summary>
    /// The prefilter's bitmap: every keyword's first three bytes, each with bit 0x20 set (which folds ASCII case, and
    /// merges a few other bytes: a superset); a two-byte keyword with every third byte. Null when a keyword has fewer
    /// than two bytes: then every byte is a possible start and the automaton runs alone.
    /// </summary>
    private static ulong[]? BuildPrefilter(IReadOnlyList<string> keywords)
    {
        var bits = new ulong[(1 << PrefilterBits) / 64];
        foreach (var keyword in keywords)
        {
            if (keyword.Length < 2)
            {
                return null;
            }

            var b0 = (uint)((byte)keyword[0] | 0x20);
            var b1 = (uint)((byte)keyword[1] | 0x20);
            if (keyword.Length == 2)
            {
                for (var b2 = 0u; b2 < 256; b2++)
                {
                    Set(bits, b0 | (b1 << 8) | ((b2 | 0x20) << 16));
                }
            }
            else
            {
                Set(bits, b0 | (b1 << 8) | (((uint)(byte)keyword[2] | 0x20) << 16));
            }
        }

        return bits;

        static void Set(ulong[] bits, uint key)
        {
            var hash = Hash(key);
            bits[hash >> 6] |= 1UL << (int)(hash & 63);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(uint key) => (key * 0x9E3779B1u) >> (32 - PrefilterBits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Maybe(ulong[] bits, uint key)
    {
        var hash = Hash(key);
        return ((bits[hash >> 6] >> (int)(hash & 63)) & 1) != 0;
    }

    /// <summary>Whether a keyword may start at <paramref name="position"/> (never before the text; always in its last two bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MayStartAt(ulong[] bits, ReadOnlySpan<byte> text, int position)
    {
        if (position < 0)
        {
            return false;
        }

        if (position + 3 > text.Length)
        {
            return true;
        }

        return Maybe(bits, (text[position] | ((uint)text[position + 1] << 8) | ((uint)text[position + 2] << 16)) | 0x202020u);
    }

    /// <summary>The first position at or after <paramref name="from"/> where a keyword may start; the text's length if none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int NextMayStart(ulong[] bits, ReadOnlySpan<byte> text, int from)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        var position = from;

        // Six positions per 8-byte load: their three-byte keys are all inside it. The tests do not depend on each other.
        while (position + 8 <= text.Length)
        {
            var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, position)) | 0x2020202020202020UL;
            var found =
                (Maybe(bits, (uint)word & 0xFFFFFF) ? 1 : 0) |
                (Maybe(bits, (uint)(word >> 8) & 0xFFFFFF) ? 2 : 0) |
                (Maybe(bits, (uint)(word >> 16) & 0xFFFFFF) ? 4 : 0) |
                (Maybe(bits, (uint)(word >> 24) & 0xFFFFFF) ? 8 : 0) |
                (Maybe(bits, (uint)(word >> 32) & 0xFFFFFF) ? 16 : 0) |
                (Maybe(bits, (uint)(word >> 40) & 0xFFFFFF) ? 32 : 0);
            if (found != 0)
            {
                return position + System.Numerics.BitOperations.TrailingZeroCount(found);
            }

            position += 6;
        }

        while (position < text.Length && !MayStartAt(bits, text, position))
        {
            position++;
        }

        return Math.Min(position, text.Length);
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
