namespace Strata.Core.Rules;

using Strata.Core.Findings;

/// <summary>
/// A rule of the catalog: one check, with everything a user needs to understand and fix what it finds.
/// </summary>
public sealed record Rule
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required Severity Severity { get; init; }

    public required StackLayer Layer { get; init; }

    /// <summary>Why this matters.</summary>
    public required string Explanation { get; init; }

    /// <summary>How to fix it.</summary>
    public required string Remediation { get; init; }

    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>Examples of what the rule flags and what it accepts.</summary>
    public IReadOnlyList<RuleExample> Examples { get; init; } = [];

    /// <summary>The same check in other tools, e.g. <c>Hadolint DL3002</c>, <c>Dockle CIS-DI-0001</c>.</summary>
    public IReadOnlyList<string> Equivalents { get; init; } = [];

    /// <summary>The family named by the ID prefix, e.g. <c>SEC</c> for <c>SEC-AWS-001</c>.</summary>
    public string Family => RuleFamilies.FamilyOf(Id);
}

/// <summary>An example for a rule's documentation; <see cref="Flagged"/> says whether the rule reports it.</summary>
public sealed record RuleExample(string Text, bool Flagged, string? Note = null);

public static class RuleFamilies
{
    /// <summary>The rule ID prefixes and what each covers.</summary>
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["KRN"] = "Kernel",
        ["CAP"] = "Capabilities",
        ["CTR"] = "Containment (strata inside)",
        ["IMG"] = "Image hardening",
        ["SEC"] = "Secrets",
        ["DKF"] = "Dockerfile",
        ["RUN"] = "Runtime configuration",
        ["SCP"] = "Seccomp",
        ["LSM"] = "AppArmor and SELinux",
        ["PSS"] = "Pod Security Standards",
        ["K8S"] = "Kubernetes",
        ["SIG"] = "Signatures",
        ["ENC"] = "Encryption",
        ["CVE"] = "Vulnerability (CVE)",
        ["GHSA"] = "Vulnerability (GitHub advisory)",
        ["GO"] = "Vulnerability (Go advisory)",
    };

    public static string FamilyOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash <= 0 ? id : id[..dash];
    }
}
