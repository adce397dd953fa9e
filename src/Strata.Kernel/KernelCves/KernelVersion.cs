namespace Strata.Kernel.KernelCves;

using System.Globalization;
using System.Text.RegularExpressions;

/// <summary>An upstream kernel version (6.1.76); a release candidate (v5.17-rc3) counts as its release (5.17.0).</summary>
public readonly partial record struct KernelVersion(int Major, int Minor, int Patch) : IComparable<KernelVersion>
{
    /// <summary>The stable branch: "6.1" for 6.1.76.</summary>
    public string Stream => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    public static bool operator <(KernelVersion left, KernelVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(KernelVersion left, KernelVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(KernelVersion left, KernelVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(KernelVersion left, KernelVersion right) => left.CompareTo(right) >= 0;

    public int CompareTo(KernelVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor != other.Minor ? Minor.CompareTo(other.Minor) : Patch.CompareTo(other.Patch);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");

    /// <summary>Reads the leading <c>X.Y[.Z]</c> of <c>6.1.76</c>, <c>v5.17-rc3</c>, <c>6.1.0-18-amd64</c>, <c>2.6.32.71</c>.</summary>
    public static bool TryParse(string? text, out KernelVersion version)
    {
        version = default;
        if (text is null)
        {
            return false;
        }

        var match = Leading().Match(text.Trim());
        if (!match.Success
            || !int.TryParse(match.Groups["major"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(match.Groups["minor"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        var patch = 0;
        if (match.Groups["patch"].Success && !int.TryParse(match.Groups["patch"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out patch))
        {
            return false;
        }

        version = new KernelVersion(major, minor, patch);
        return true;
    }

    public static KernelVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a kernel version.");

    [GeneratedRegex(@"^v?(?<major>[0-9]{1,3})\.(?<minor>[0-9]{1,3})(?:\.(?<patch>[0-9]{1,5}))?")]
    private static partial Regex Leading();
}
