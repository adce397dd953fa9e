namespace Strata.Core.Packages;

using System.Globalization;

/// <summary>
/// A Debian package version, <c>[epoch:]upstream[-revision]</c>, ordered exactly as <c>dpkg --compare-versions</c>
/// orders them (deb-version(7)): '~' sorts before everything, even the end of the string; letters before other
/// characters; digit runs compare as numbers.
/// </summary>
public sealed record DebianVersion(long Epoch, string Upstream, string Revision) : IComparable<DebianVersion>
{
    public static bool operator <(DebianVersion left, DebianVersion right) => Compare(left, right) < 0;

    public static bool operator >(DebianVersion left, DebianVersion right) => Compare(left, right) > 0;

    public static bool operator <=(DebianVersion left, DebianVersion right) => Compare(left, right) <= 0;

    public static bool operator >=(DebianVersion left, DebianVersion right) => Compare(left, right) >= 0;

    /// <summary>Reads a version as dpkg does; false for an empty text, a bad epoch or an upstream part not starting with a digit.</summary>
    public static bool TryParse(string? text, out DebianVersion version)
    {
        version = new DebianVersion(0, string.Empty, string.Empty);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var rest = text.Trim();
        long epoch = 0;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!long.TryParse(rest.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out epoch))
            {
                return false;
            }

            rest = rest[(colon + 1)..];
        }

        var dash = rest.LastIndexOf('-');
        var upstream = dash >= 0 ? rest[..dash] : rest;
        var revision = dash >= 0 ? rest[(dash + 1)..] : string.Empty;
        if (upstream.Length == 0 || !char.IsAsciiDigit(upstream[0]) || rest.Any(char.IsWhiteSpace))
        {
            return false;
        }

        version = new DebianVersion(epoch, upstream, revision);
        return true;
    }

    public static DebianVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a Debian version.");

    public static int Compare(DebianVersion? left, DebianVersion? right)
    {
        if (ReferenceEquals(left, right))
        {
            return 0;
        }

        if (left is null || right is null)
        {
            return left is null ? -1 : 1;
        }

        if (left.Epoch != right.Epoch)
        {
            return left.Epoch.CompareTo(right.Epoch);
        }

        var upstream = CompareFragment(left.Upstream, right.Upstream);
        return upstream != 0 ? upstream : CompareFragment(left.Revision, right.Revision);
    }

    public int CompareTo(DebianVersion? other) => Compare(this, other);

    public override string ToString() =>
        (Epoch != 0 ? Epoch.ToString(CultureInfo.InvariantCulture) + ":" : string.Empty) + Upstream + (Revision.Length > 0 ? "-" + Revision : string.Empty);

    /// <summary>dpkg's verrevcmp: alternating non-digit and digit runs.</summary>
    private static int CompareFragment(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var firstDiff = 0;
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var ac = Order(a, i);
                var bc = Order(b, j);
                if (ac != bc)
                {
                    return ac - bc;
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0)
                {
                    firstDiff = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDiff != 0)
            {
                return firstDiff;
            }
        }

        return 0;
    }

    /// <summary>The weight of a character in a non-digit run; past the end (or at a digit) it is 0.</summary>
    private static int Order(string s, int index)
    {
        if (index >= s.Length || char.IsAsciiDigit(s[index]))
        {
            return 0;
        }

        var c = s[index];
        return c == '~' ? -1 : char.IsAsciiLetter(c) ? c : c + 256;
    }
}
