namespace Strata.Runtime.Seccomp;

using System.Text.Json;
using Strata.Core.Documents;

/// <summary>The file formats a seccomp profile is written in.</summary>
public enum SeccompFormat
{
    /// <summary>Docker/moby (and Podman) profile: archMap and conditional rules (includes/excludes).</summary>
    Docker,

    /// <summary>OCI runtime-spec <c>linux.seccomp</c>: what a runtime loads, no conditions.</summary>
    Oci,

    /// <summary>security-profiles-operator <c>SeccompProfile</c> object (YAML).</summary>
    Spo,
}

/// <summary>
/// A seccomp profile: the superset of the Docker/moby, OCI runtime-spec and security-profiles-operator formats
/// (defaultAction + syscalls rules, with moby's archMap and conditions).
/// </summary>
/// <param name="BasePath">JSON path of the profile inside its file: "$" for a profile file, "$.linux.seccomp" inside a runtime config, "$.spec" in an SPO object.</param>
public sealed record SeccompProfile(string DefaultAction, int? DefaultActionLine, IReadOnlyList<SeccompRule> Rules, string BasePath)
{
    public uint? DefaultErrnoRet { get; init; }

    /// <summary>The flat architecture list (OCI, SPO, and moby's older form).</summary>
    public IReadOnlyList<string> Architectures { get; init; } = [];

    /// <summary>moby's architectures with their sub-architectures; a runtime keeps the entry of the host's architecture.</summary>
    public IReadOnlyList<SeccompArchitecture> ArchMap { get; init; } = [];

    public IReadOnlyList<string> Flags { get; init; } = [];

    public string? ListenerPath { get; init; }

    public string? ListenerMetadata { get; init; }

    /// <summary>The format the profile was read from.</summary>
    public SeccompFormat Format { get; init; } = SeccompFormat.Docker;

    /// <summary>The object's metadata when read from (or written as) a security-profiles-operator object.</summary>
    public SpoMetadata? Spo { get; init; }

    /// <summary>Actions that let a syscall run.</summary>
    public static bool IsPermissive(string action) => action is "SCMP_ACT_ALLOW" or "SCMP_ACT_LOG";

    /// <summary>Every architecture the profile names (flat list, archMap entries and their sub-architectures).</summary>
    public IReadOnlyList<string> AllArchitectures =>
        [.. Architectures.Concat(ArchMap.SelectMany(a => (a.SubArchitectures ?? []).Prepend(a.Architecture))).Distinct(StringComparer.Ordinal)];

    /// <summary>Whether any rule depends on capabilities, architecture or kernel version, so a runtime must resolve it first.</summary>
    public bool IsConditional => ArchMap.Count > 0 || Rules.Any(r => r.Includes is not null || r.Excludes is not null);

    public static SeccompProfile Parse(JsonSource source) => Parse(source, source?.Root ?? default, "$");

    /// <summary>Parses the profile at <paramref name="basePath"/> of <paramref name="source"/>.</summary>
    public static SeccompProfile Parse(JsonSource source, JsonElement root, string basePath)
    {
        ArgumentNullException.ThrowIfNull(source);
        return SeccompProfileReader.Read(new ProfileDocument(source.File, root, source.LineOf), basePath, SeccompFormat.Docker);
    }
}

/// <summary>One archMap entry.</summary>
/// <param name="SubArchitectures">Null when the file says null (moby writes it so), empty when it says [].</param>
public sealed record SeccompArchitecture(string Architecture, IReadOnlyList<string>? SubArchitectures);

/// <summary>Metadata of a security-profiles-operator object.</summary>
public sealed record SpoMetadata(string Name, string? Namespace, string? BaseProfileName, bool? Disabled);

/// <summary>A condition of a moby rule: capabilities (all must be held), architectures (Go names), minimum kernel.</summary>
public sealed record SeccompCondition(IReadOnlyList<string> Caps, IReadOnlyList<string> Arches, string? MinKernel);

/// <summary>One argument comparison: argument <paramref name="Index"/> compared with <paramref name="Value"/> by <paramref name="Op"/>.</summary>
/// <param name="ValueTwo">The second operand of SCMP_CMP_MASKED_EQ (the value; Value is then the mask); 0 when absent.</param>
public sealed record SeccompArgument(uint Index, ulong Value, ulong ValueTwo, string Op);

/// <summary>One entry of a profile's syscalls list.</summary>
public sealed record SeccompRule(IReadOnlyList<string> Names, string Action, string JsonPath, int? Line)
{
    public uint? ErrnoRet { get; init; }

    public IReadOnlyList<SeccompArgument> Args { get; init; } = [];

    public string? Comment { get; init; }

    /// <summary>The rule applies only when this holds (moby profiles only).</summary>
    public SeccompCondition? Includes { get; init; }

    /// <summary>The rule does not apply when any of this holds (moby profiles only).</summary>
    public SeccompCondition? Excludes { get; init; }

    /// <summary>The rule only matches some argument values.</summary>
    public bool HasArgumentFilter => Args.Count > 0;

    /// <summary>The rule applies only when the container has these capabilities.</summary>
    public IReadOnlyList<string> IncludeCaps => Includes?.Caps ?? [];

    public IReadOnlyList<string> ExcludeCaps => Excludes?.Caps ?? [];

    /// <summary>The rule applies only on these architectures.</summary>
    public IReadOnlyList<string> Arches => Includes?.Arches ?? [];

    /// <summary>Allows the syscall whatever its arguments and whatever capabilities the container has.</summary>
    public bool AllowsUnconditionally => SeccompProfile.IsPermissive(Action) && !HasArgumentFilter && IncludeCaps.Count == 0;
}
