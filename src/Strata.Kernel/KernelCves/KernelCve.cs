namespace Strata.Kernel.KernelCves;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A kernel CVE with the upstream releases that bound it.</summary>
/// <param name="Introduced">The first upstream release with the bug, when known.</param>
/// <param name="MainlineFix">The first mainline release with the fix, when known (a fix in vX.Y-rcN is in X.Y.0).</param>
/// <param name="StreamFixes">For each stable branch ("6.1"), the first release of it with the fix.</param>
/// <param name="Name">A common name (Dirty Pipe), or null.</param>
/// <param name="ExploitClass">What an attacker does with it, for containers; null for dataset entries.</param>
public sealed record KernelCve(
    string Id,
    KernelVersion? Introduced,
    KernelVersion? MainlineFix,
    IReadOnlyDictionary<string, KernelVersion> StreamFixes,
    string? Name = null,
    string? ExploitClass = null,
    Severity Severity = Severity.Medium);

/// <summary>How a CVE stands against the running kernel.</summary>
public enum KernelCveState
{
    /// <summary>The kernel predates the bug, or its version carries the fix.</summary>
    NotAffected,

    /// <summary>An upstream kernel whose version lacks the fix.</summary>
    Affected,

    /// <summary>A distribution kernel whose upstream base lacks the fix; the distribution may have backported it.</summary>
    PossiblyAffected,
}

/// <summary>The verdict on one CVE, with the reason in words.</summary>
public sealed record KernelCveVerdict(KernelCve Cve, KernelCveState State, string Reason);

/// <summary>Judges CVEs by version: the bug's window, the mainline fix, and the fix of the kernel's stable branch.</summary>
public static class KernelCveJudge
{
    /// <summary>
    /// A finding for each CVE of <paramref name="cves"/> the kernel is (possibly) affected by, located at the CVE, at
    /// <paramref name="affected"/> or <paramref name="possiblyAffected"/> severity.
    /// </summary>
    public static IEnumerable<Finding> Findings(Rule rule, string target, RunningKernel kernel, IEnumerable<KernelCve> cves, Func<KernelCve, Severity> affected, Severity possiblyAffected)
    {
        ArgumentNullException.ThrowIfNull(cves);
        ArgumentNullException.ThrowIfNull(affected);
        foreach (var cve in cves)
        {
            var verdict = Judge(cve, kernel);
            if (verdict.State == KernelCveState.NotAffected)
            {
                continue;
            }

            var state = verdict.State == KernelCveState.Affected ? "affected" : "possibly affected";
            var name = cve.Name is null ? string.Empty : $" ({cve.Name})";
            yield return Finding.For(
                rule,
                target,
                new Location { File = "/proc/version", Subject = cve.Id },
                $"{cve.Id}{name}, {state}: {verdict.Reason}.{(cve.ExploitClass is null ? string.Empty : " " + cve.ExploitClass)}",
                Evidence.Plain($"kernel {kernel.Release}; {kernel.Describe()}"),
                verdict.State == KernelCveState.Affected ? affected(cve) : possiblyAffected);
        }
    }

    public static KernelCveVerdict Judge(KernelCve cve, RunningKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(cve);
        ArgumentNullException.ThrowIfNull(kernel);
        if (kernel.Upstream is not { } version)
        {
            return new KernelCveVerdict(cve, KernelCveState.PossiblyAffected, $"the upstream release of {kernel.Describe()} is unknown, so the fix cannot be checked by version");
        }

        if (cve.Introduced is { } introduced && version < introduced)
        {
            return new KernelCveVerdict(cve, KernelCveState.NotAffected, $"{version} predates the bug (introduced in {introduced.Major}.{introduced.Minor})");
        }

        if (cve.MainlineFix is { } mainline && version >= mainline)
        {
            return new KernelCveVerdict(cve, KernelCveState.NotAffected, $"{version} is at or after the mainline fix ({mainline.Major}.{mainline.Minor})");
        }

        string missing;
        if (cve.StreamFixes.TryGetValue(version.Stream, out var streamFix))
        {
            if (version >= streamFix)
            {
                return new KernelCveVerdict(cve, KernelCveState.NotAffected, $"{version} carries the {version.Stream} stable fix ({streamFix})");
            }

            missing = $"the {version.Stream} branch has the fix from {streamFix}";
        }
        else if (cve.MainlineFix is null && cve.StreamFixes.Count > 0 && cve.StreamFixes.Values.All(fix => fix.Stream != version.Stream && fix < version))
        {
            // No mainline release recorded, but every branch that got the fix is older: the fix was in mainline before this branch.
            return new KernelCveVerdict(cve, KernelCveState.NotAffected, $"{version.Stream} is newer than every branch that received the fix");
        }
        else
        {
            missing = $"the {version.Stream} branch never received the fix{(cve.MainlineFix is { } fix ? $" (mainline {fix.Major}.{fix.Minor})" : string.Empty)}";
        }

        if (kernel.Builder == KernelBuilder.RedHat)
        {
            return new KernelCveVerdict(cve, KernelCveState.PossiblyAffected, $"{kernel.Describe()} keeps a {version.Stream} base with backports, so its version says nothing of this fix; {missing}; check the vendor's advisory for {cve.Id}");
        }

        return kernel.MayBackport
            ? new KernelCveVerdict(cve, KernelCveState.PossiblyAffected, $"{kernel.Describe()} is below the fix by version ({missing}); the distribution may have backported it: check its security tracker for {cve.Id}")
            : new KernelCveVerdict(cve, KernelCveState.Affected, $"{version} lacks the fix: {missing}");
    }
}
