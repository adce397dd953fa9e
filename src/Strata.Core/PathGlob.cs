namespace Strata.Core;

using System.Text;
using System.Text.RegularExpressions;

/// <summary>Path globs as ignore files and allow lists write them: <c>**</c> crosses directories, <c>*</c> and <c>?</c> do not.</summary>
public static class PathGlob
{
    /// <summary>The regular-expression body (no anchors) for a glob; a leading slash is ignored.</summary>
    public static string ToPattern(string glob)
    {
        ArgumentNullException.ThrowIfNull(glob);
        var pattern = new StringBuilder();
        var g = glob.Trim().TrimStart('/');
        for (var i = 0; i < g.Length; i++)
        {
            var c = g[i];
            if (c == '*' && i + 1 < g.Length && g[i + 1] == '*')
            {
                i++;
                if (i + 1 < g.Length && g[i + 1] == '/')
                {
                    i++;
                    pattern.Append("(?:.*/)?");
                }
                else
                {
                    pattern.Append(".*");
                }
            }
            else if (c == '*')
            {
                pattern.Append("[^/]*");
            }
            else if (c == '?')
            {
                pattern.Append("[^/]");
            }
            else
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
        }

        return pattern.ToString();
    }

    /// <summary>An anchored, linear-time matcher for one glob.</summary>
    public static Regex ToRegex(string glob) => new("^" + ToPattern(glob) + "$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
}
