namespace Strata.Kernel.Capabilities;

using System.Globalization;
using System.Numerics;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>
/// A set of Linux capabilities as the kernel holds it: a 64-bit mask, bit N for capability number N
/// (/proc/PID/status CapEff and friends, capget(2), the OCI runtime spec's lists).
/// </summary>
public readonly record struct CapabilitySet(ulong Mask)
{
    public static CapabilitySet Empty => default;

    /// <summary>Every capability the catalog knows (0 to <see cref="CapabilityCatalog.LastKnown"/>).</summary>
    public static CapabilitySet AllKnown => new(CapabilityCatalog.LastKnown >= 63 ? ulong.MaxValue : (1UL << (CapabilityCatalog.LastKnown + 1)) - 1);

    public int Count => BitOperations.PopCount(Mask);

    public bool IsEmpty => Mask == 0;

    /// <summary>The capability numbers in the set, ascending; bits the catalog does not name are included.</summary>
    public IEnumerable<int> Numbers
    {
        get
        {
            var mask = Mask;
            while (mask != 0)
            {
                var bit = BitOperations.TrailingZeroCount(mask);
                yield return bit;
                mask &= mask - 1;
            }
        }
    }

    /// <summary>Names as the kernel headers spell them (CAP_SYS_ADMIN); unknown bits as CAP_N.</summary>
    public IEnumerable<string> Names => Numbers.Select(CapabilityCatalog.NameOf);

    public bool Contains(int number) => number is >= 0 and < 64 && (Mask & (1UL << number)) != 0;

    public bool Contains(string name) => CapabilityCatalog.TryGetNumber(name, out var number) && Contains(number);

    public CapabilitySet Union(CapabilitySet other) => new(Mask | other.Mask);

    public CapabilitySet Intersect(CapabilitySet other) => new(Mask & other.Mask);

    public CapabilitySet Except(CapabilitySet other) => new(Mask & ~other.Mask);

    /// <summary>Holds every capability of a kernel whose highest capability is <paramref name="lastCap"/> (/proc/sys/kernel/cap_last_cap).</summary>
    public bool IsFull(int lastCap) => lastCap is >= 0 and < 64 && (Mask & (lastCap == 63 ? ulong.MaxValue : (1UL << (lastCap + 1)) - 1)) == (lastCap == 63 ? ulong.MaxValue : (1UL << (lastCap + 1)) - 1);

    /// <summary>The mask as /proc prints it: 16 hexadecimal digits.</summary>
    public string ToHex() => Mask.ToString("x16", CultureInfo.InvariantCulture);

    public override string ToString() => IsEmpty ? "(none)" : string.Join(',', Names);

    public static CapabilitySet Of(IEnumerable<int> numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        ulong mask = 0;
        foreach (var number in numbers)
        {
            if (number is < 0 or > 63)
            {
                throw new ArgumentOutOfRangeException(nameof(numbers), number, "capability numbers are 0 to 63");
            }

            mask |= 1UL << number;
        }

        return new CapabilitySet(mask);
    }

    /// <summary>A hexadecimal mask as in /proc/PID/status (<c>00000000a80425fb</c>, with or without <c>0x</c>).</summary>
    /// <exception cref="StrataException">Not a hexadecimal mask of at most 64 bits.</exception>
    public static CapabilitySet ParseHex(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = text.Trim();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        if (digits.Length is 0 or > 16 || !ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mask))
        {
            throw StrataException.BadInput($"'{Redaction.Quote(text, 40)}' is not a hexadecimal capability mask (at most 16 hex digits, as in /proc/PID/status).");
        }

        return new CapabilitySet(mask);
    }

    /// <summary>
    /// A list of names separated by commas or spaces, in any of the spellings runtimes use (<c>CAP_SYS_ADMIN</c>,
    /// <c>SYS_ADMIN</c>, <c>sys_admin</c>), or <c>ALL</c>.
    /// </summary>
    /// <exception cref="StrataException">A name the catalog does not know.</exception>
    public static CapabilitySet ParseNames(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ulong mask = 0;
        foreach (var item in text.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.Equals("ALL", StringComparison.OrdinalIgnoreCase) || item.Equals("CAP_ALL", StringComparison.OrdinalIgnoreCase))
            {
                mask |= AllKnown.Mask;
            }
            else if (CapabilityCatalog.TryGetNumber(item, out var number))
            {
                mask |= 1UL << number;
            }
            else
            {
                throw StrataException.BadInput($"'{Redaction.Quote(item, 40)}' is not a Linux capability (see `strata caps list`).");
            }
        }

        return new CapabilitySet(mask);
    }
}
