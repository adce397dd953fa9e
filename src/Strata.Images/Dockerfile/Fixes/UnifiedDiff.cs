namespace Strata.Images.Dockerfile.Fixes;

using System.Globalization;
using System.Text;

/// <summary>A unified diff (as <c>diff -u</c> and <c>git diff</c> write it) between two texts, by lines (Myers' algorithm).</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The diff, with <c>--- a/PATH</c> / <c>+++ b/PATH</c> headers; empty when the texts are equal.</summary>
    public static string Create(string before, string after, string path)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(path);
        if (before == after)
        {
            return string.Empty;
        }

        var a = SplitLines(before);
        var b = SplitLines(after);
        var script = EditScript(a, b);
        var output = new StringBuilder();
        output.Append("--- a/").Append(path).Append('\n').Append("+++ b/").Append(path).Append('\n');
        var i = 0;
        while (i < script.Count)
        {
            if (script[i].Kind == ' ')
            {
                i++;
                continue;
            }

            // A hunk: from Context lines before this change to Context lines after the last change that is at most
            // 2*Context unchanged lines from the next.
            var start = Math.Max(0, i - Context);
            var end = i;
            while (true)
            {
                while (end < script.Count && script[end].Kind != ' ')
                {
                    end++;
                }

                var next = end;
                while (next < script.Count && script[next].Kind == ' ')
                {
                    next++;
                }

                if (next < script.Count && next - end <= 2 * Context)
                {
                    end = next;
                    continue;
                }

                end = Math.Min(script.Count, end + Context);
                break;
            }

            var hunk = script.GetRange(start, end - start);
            var oldStart = hunk[0].OldLine;
            var newStart = hunk[0].NewLine;
            var oldCount = hunk.Count(e => e.Kind != '+');
            var newCount = hunk.Count(e => e.Kind != '-');
            output.Append(CultureInfo.InvariantCulture, $"@@ -{Range(oldStart, oldCount)} +{Range(newStart, newCount)} @@\n");
            foreach (var entry in hunk)
            {
                output.Append(entry.Kind).Append(entry.Text.TrimEnd('\n')).Append('\n');
                if (!entry.Text.EndsWith('\n'))
                {
                    output.Append("\\ No newline at end of file\n");
                }
            }

            i = end;
        }

        return output.ToString();
    }

    private static string Range(int start, int count) => count switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{start - 1},0"),
        1 => start.ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{start},{count}"),
    };

    /// <summary>Lines with their line breaks (so CRLF files diff as they are); the last one may lack one.</summary>
    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    private readonly record struct Entry(char Kind, string Text, int OldLine, int NewLine);

    /// <summary>The shortest edit script between <paramref name="a"/> and <paramref name="b"/> (Myers 1986, linear trace).</summary>
    private static List<Entry> EditScript(List<string> a, List<string> b)
    {
        var n = a.Count;
        var m = b.Count;
        var max = n + m;
        var v = new int[(2 * max) + 2];
        var trace = new List<int[]>();
        var found = false;
        for (var d = 0; d <= max && !found; d++)
        {
            trace.Add((int[])v.Clone());
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    x++;
                    y++;
                }

                v[max + k] = x;
                if (x >= n && y >= m)
                {
                    found = true;
                    break;
                }
            }
        }

        // Walk back through the saved frontiers.
        var entries = new List<Entry>();
        int cx = n, cy = m;
        for (var d = trace.Count - 1; d >= 0; d--)
        {
            var frontier = trace[d];
            var k = cx - cy;
            var prevK = k == -d || (k != d && frontier[max + k - 1] < frontier[max + k + 1]) ? k + 1 : k - 1;
            var prevX = d == 0 ? 0 : frontier[max + prevK];
            var prevY = prevX - prevK;
            while (cx > prevX && cy > prevY)
            {
                cx--;
                cy--;
                entries.Add(new Entry(' ', a[cx], cx + 1, cy + 1));
            }

            if (d == 0)
            {
                break;
            }

            if (cx == prevX)
            {
                cy--;
                entries.Add(new Entry('+', b[cy], cx + 1, cy + 1));
            }
            else
            {
                cx--;
                entries.Add(new Entry('-', a[cx], cx + 1, cy + 1));
            }
        }

        while (cx > 0 && cy > 0)
        {
            cx--;
            cy--;
            entries.Add(new Entry(' ', a[cx], cx + 1, cy + 1));
        }

        entries.Reverse();
        return entries;
    }
}
