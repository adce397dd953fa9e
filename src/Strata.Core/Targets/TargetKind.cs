namespace Strata.Core.Targets;

/// <summary>What a scan target is; decides which scanners run.</summary>
public enum TargetKind
{
    Host,
    Image,
    RootFs,
    Dockerfile,
    KubernetesManifest,
    SeccompProfile,
    RuntimeConfig,

    /// <summary>Docker's daemon.json.</summary>
    DockerDaemonConfig,

    /// <summary>containerd's config.toml.</summary>
    ContainerdConfig,

    /// <summary>CRI-O's crio.conf or a crio.conf.d drop-in.</summary>
    CrioConfig,

    /// <summary>A directory of source: its Dockerfiles, manifests, profiles and configs become targets, the rest gets the secret rules.</summary>
    SourceTree,

    /// <summary>A file of no kind Strata checks: the secret rules only.</summary>
    File,

    /// <summary>A target that could not be resolved (missing, unreadable, not an image reference).</summary>
    Unknown,
}

public static class TargetKindNames
{
    private static readonly (TargetKind Kind, string Name)[] Names =
    [
        (TargetKind.Host, "host"),
        (TargetKind.Image, "image"),
        (TargetKind.RootFs, "rootfs"),
        (TargetKind.Dockerfile, "dockerfile"),
        (TargetKind.KubernetesManifest, "k8s"),
        (TargetKind.SeccompProfile, "seccomp"),
        (TargetKind.RuntimeConfig, "runtime-config"),
        (TargetKind.DockerDaemonConfig, "docker-daemon"),
        (TargetKind.ContainerdConfig, "containerd"),
        (TargetKind.CrioConfig, "crio"),
        (TargetKind.SourceTree, "project"),
        (TargetKind.File, "file"),
        (TargetKind.Unknown, "unknown"),
    ];

    /// <summary>The kinds a user may name (as a <c>KIND:</c> prefix or with <c>--kind</c>).</summary>
    public static IEnumerable<string> All => Names.Where(n => n.Kind != TargetKind.Unknown).Select(n => n.Name);

    public static string ToName(this TargetKind kind) => Names.First(n => n.Kind == kind).Name;

    /// <summary>Kinds that are one file each; given a directory (<c>k8s:DIR</c>), every file of the kind under it is scanned.</summary>
    public static bool IsFileKind(this TargetKind kind) =>
        kind is TargetKind.Dockerfile or TargetKind.KubernetesManifest or TargetKind.SeccompProfile or TargetKind.RuntimeConfig
            or TargetKind.DockerDaemonConfig or TargetKind.ContainerdConfig or TargetKind.CrioConfig;

    public static bool TryParse(string text, out TargetKind kind)
    {
        foreach (var (k, name) in Names)
        {
            if (k != TargetKind.Unknown && string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
