namespace Strata.Reporting;

using System.Text;

/// <summary>
/// A plain table (no borders, for grep and cut): columns padded to their widest cell, two spaces apart, numbers
/// right-aligned. Cells are made printable first; the last column is never padded and, when a width is given,
/// is cut so that each row fits.
/// </summary>
internal static class TextTable
{
    /// <summary>The last column is cut no shorter than this, however narrow the terminal.</summary>
    private const int MinimumLastColumn = 20;

    public static void Append(StringBuilder text, IReadOnlyList<string[]> rows, IReadOnlyCollection<int> leftAligned, int? width = null)
    {
        var cells = rows.Select(r => r.Select(DisplayText.OneLine).ToArray()).ToList();
        var widths = new int[cells[0].Length];
        foreach (var row in cells)
        {
            for (var i = 0; i < row.Length - 1; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var last = widths.Length - 1;
        var lastWidth = width is int total ? Math.Max(MinimumLastColumn, total - widths[..last].Sum() - (2 * last)) : int.MaxValue;
        for (var r = 0; r < cells.Count; r++)
        {
            var row = cells[r];
            for (var i = 0; i < last; i++)
            {
                text.Append(r == 0 || leftAligned.Contains(i) ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i])).Append("  ");
            }

            text.Append(DisplayText.Shorten(row[last], lastWidth)).Append('\n');
        }
    }
}
