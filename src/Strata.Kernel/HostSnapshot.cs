namespace Strata.Kernel;

/// <summary>
/// The host facts the kernel checks read, taken once under a root directory ("/" for the real host,
/// a fixture tree in tests). Missing files are facts too: a sysctl that does not exist is null.
/// </summary>
public sealed class HostSnapshot
{
    private readonly string root;

    public HostSnapshot(string root)
    {
        this.root = root;
    }

    /// <summary>Path of a host file as shown in findings, e.g. /proc/sys/kernel/unprivileged_bpf_disabled.</summary>
    public static string SysctlPath(string name) => "/proc/sys/" + name.Replace('.', '/');

    /// <summary>A sysctl's value (e.g. "kernel.unprivileged_bpf_disabled"), or null when the kernel has no such sysctl.</summary>
    public string? Sysctl(string name) => ReadSmall(SysctlPath(name))?.Trim();

    /// <summary>The running kernel release, as in uname -r.</summary>
    public string? KernelRelease => ReadSmall("/proc/sys/kernel/osrelease")?.Trim();

    /// <summary>A field of /proc/self/status, e.g. CapEff.</summary>
    public string? SelfStatus(string field)
    {
        var text = ReadSmall("/proc/self/status");
        if (text is null)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return line[(field.Length + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>Whether this process runs inside a container (Docker, Podman, Kubernetes, LXC).</summary>
    public bool InContainer =>
        Exists("/.dockerenv") || Exists("/run/.containerenv")
        || (ReadSmall("/proc/1/cgroup") is { } cgroup && (cgroup.Contains("docker", StringComparison.Ordinal) || cgroup.Contains("kubepods", StringComparison.Ordinal) || cgroup.Contains("libpod", StringComparison.Ordinal) || cgroup.Contains("lxc", StringComparison.Ordinal)))
        || ReadSmall("/proc/1/environ")?.Contains("container=", StringComparison.Ordinal) == true;

    /// <summary>A small host file (at most 64 KiB read), or null when it is missing or unreadable.</summary>
    public string? Read(string path) => ReadSmall(path);

    /// <summary>True when a host file or directory exists.</summary>
    public bool Exists(string path) => File.Exists(Resolve(path)) || Directory.Exists(Resolve(path));

    private string Resolve(string path) => Path.Combine(root, path.TrimStart('/'));

    private string? ReadSmall(string path)
    {
        try
        {
            using var stream = new FileStream(Resolve(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            var buffer = new byte[64 * 1024];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static bool IsTruthy(string? value) => value is not null && long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number) && number != 0;
}
