namespace Strata.Runtime.Seccomp;

/// <summary>What a runtime resolves a conditional profile for: the host architecture, the container's capabilities, the host kernel.</summary>
/// <param name="Kernel">Null: every minKernel condition holds (the newest kernel).</param>
public sealed record SeccompTarget(SyscallTable Arch, IReadOnlySet<string> Caps, KernelVersion? Kernel);

/// <summary>
/// Turns a moby profile into the flat profile a runtime loads, as moby's setupSeccomp does: the archMap entry of the
/// architecture with its sub-architectures, and only the rules whose includes hold and whose excludes do not.
/// </summary>
public static class SeccompResolver
{
    public static SeccompProfile Resolve(SeccompProfile profile, SeccompTarget target)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(target);
        var architectures = profile.ArchMap.Count == 0
            ? profile.Architectures
            : [.. profile.ArchMap.Where(a => a.Architecture == target.Arch.ScmpArch).SelectMany(a => (a.SubArchitectures ?? []).Prepend(a.Architecture))];
        var rules = profile.Rules.Where(r => Applies(r, target)).Select(r => r with { Comment = null, Includes = null, Excludes = null }).ToList();
        return profile with { Architectures = architectures, ArchMap = [], Rules = rules };
    }

    public static bool Applies(SeccompRule rule, SeccompTarget target)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(target);
        if (rule.Excludes is { } excludes)
        {
            if (excludes.Arches.Contains(target.Arch.GoArch, StringComparer.Ordinal)
                || excludes.Caps.Any(target.Caps.Contains)
                || (excludes.MinKernel is not null && KernelAtLeast(target, excludes.MinKernel)))
            {
                return false;
            }
        }

        if (rule.Includes is { } includes)
        {
            if ((includes.Arches.Count > 0 && !includes.Arches.Contains(target.Arch.GoArch, StringComparer.Ordinal))
                || !includes.Caps.All(target.Caps.Contains)
                || (includes.MinKernel is not null && !KernelAtLeast(target, includes.MinKernel)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool KernelAtLeast(SeccompTarget target, string minKernel) =>
        target.Kernel is not { } kernel || KernelVersion.TryParse(minKernel) is not { } min || kernel.IsAtLeast(min);

    /// <summary>Names the profile lists that none of its resolved architectures has (the runtime skips them).</summary>
    public static IReadOnlyList<string> NamesNotOn(SeccompProfile resolved, SyscallTable arch)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(arch);
        var tables = resolved.Architectures.Select(SyscallTable.Find).OfType<SyscallTable>().Append(arch).Distinct().ToList();
        return [.. resolved.Rules.SelectMany(r => r.Names).Where(n => !tables.Any(t => t.ByName.ContainsKey(n))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
