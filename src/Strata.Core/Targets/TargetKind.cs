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
    ];

    public static IEnumerable<string> All => Names.Select(n => n.Name);

    public static string ToName(this TargetKind kind) => Names.First(n => n.Kind == kind).Name;

    public static bool TryParse(string text, out TargetKind kind)
    {
        foreach (var (k, name) in Names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
