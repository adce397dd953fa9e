namespace Strata.Kernel.Capabilities;

using Strata.Core.Findings;

/// <summary>
/// What a capability set means for a container: what it adds to and removes from a runtime's default, which additions
/// are dangerous, and whether it is privileged-equivalent (every capability of the kernel) or escape-capable (a
/// capability with a known escape on its own).
/// </summary>
public sealed record CapabilityAssessment(
    CapabilitySet Set,
    RuntimeDefault Baseline,
    CapabilitySet Added,
    CapabilitySet Dropped,
    IReadOnlyList<CapabilityInfo> DangerousAdditions,
    bool PrivilegedEquivalent,
    IReadOnlyList<CapabilityInfo> EscapeCapable)
{
    /// <summary>The highest risk of the set: CRITICAL when escape-capable or privileged, else the riskiest addition, else INFO.</summary>
    public Severity Risk => PrivilegedEquivalent || EscapeCapable.Count > 0
        ? Severity.Critical
        : Added.Numbers.Select(n => CapabilityCatalog.ByNumber(n)?.Risk ?? Severity.Medium).DefaultIfEmpty(Severity.Info).Max();

    /// <param name="lastCap">The kernel's highest capability (/proc/sys/kernel/cap_last_cap); the catalog's last when unknown.</param>
    public static CapabilityAssessment Of(CapabilitySet set, RuntimeDefault baseline, int lastCap = CapabilityCatalog.LastKnown)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var added = set.Except(baseline.Capabilities);
        var dangerous = Infos(added).Where(c => c.Risk >= Severity.High).ToList();
        var escape = Infos(set).Where(c => c.Risk == Severity.Critical).ToList();
        return new CapabilityAssessment(set, baseline, added, baseline.Capabilities.Except(set), dangerous, set.IsFull(lastCap), escape);
    }

    private static IEnumerable<CapabilityInfo> Infos(CapabilitySet set) =>
        set.Numbers.Select(CapabilityCatalog.ByNumber).OfType<CapabilityInfo>();
}
