namespace Strata.Kernel;

/// <summary>
/// The host facts the kernel checks read, taken once under a root directory ("/" for the real host,
/// a fixture tree in tests). Missing files are facts too: a sysctl that does not exist is null.
/// </summary>
public sealed class HostSnapshot
{
    private readonly string root;
    private Containment.ContainmentView? containment;

    public HostSnapshot(string root)
    {
        this.root = root;
    }

    /// <summary>True when the snapshot is of the machine Strata runs on (root "/"), where running its programs is safe.</summary>
    public bool IsRealHost => Path.GetFullPath(root) == "/";

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

    /// <summary>Whether this process runs inside a container: any mark <see cref="Containment.ContainerRuntimeDetection"/> knows.</summary>
    public bool InContainer => Containment.InContainer;

    /// <summary>How contained this process is (read on first use).</summary>
    public Containment.ContainmentView Containment => containment ??= Strata.Kernel.Containment.ContainmentView.Read(this);

    /// <summary>A small host file (at most 64 KiB read), or null when it is missing or unreadable.</summary>
    public string? Read(string path) => ReadSmall(path);

    /// <summary>True when a host file or directory exists.</summary>
    public bool Exists(string path) => File.Exists(Resolve(path)) || Directory.Exists(Resolve(path));

    /// <summary>Where a host path is on this machine (under the snapshot's root).</summary>
    public string Resolve(string path) => Path.Combine(root, path.TrimStart('/'));

    /// <summary>
    /// What a symbolic link points to (/proc/self/ns/pid reads "pid:[4026531836]"); in a fixture tree, where such a link
    /// may be written as a small file, the file's text. Null when neither exists.
    /// </summary>
    public string? LinkText(string path)
    {
        try
        {
            if (new FileInfo(Resolve(path)).LinkTarget is { } target)
            {
                return target;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return ReadSmall(path)?.Trim();
    }

    /// <summary>The names in a host directory, sorted; empty when it is missing or unreadable. At most <paramref name="max"/> names.</summary>
    public IReadOnlyList<string> List(string path, int max = 10_000)
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(Resolve(path)).Take(max).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A host database file such as /var/lib/dpkg/status (at most 64 MiB read), or null when missing or unreadable.</summary>
    public string? ReadLarge(string path) => ReadSmall(path, 64 << 20);

    private string? ReadSmall(string path, int maxBytes = 64 * 1024)
    {
        // Only regular files are read: a FIFO or device planted in a copied tree would block or never end.
        var resolved = Resolve(path);
        if (Strata.Kernel.Containment.NativeMethods.Stat(resolved, follow: true) is { } stat && (stat.Mode & Strata.Kernel.Containment.NativeMethods.TypeMask) != Strata.Kernel.Containment.NativeMethods.RegularFile)
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(resolved, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            if (stream.CanSeek && stream.Length > 0)
            {
                var buffer = new byte[(int)Math.Min(maxBytes, stream.Length)];
                var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
            }

            // procfs and sysfs files report length 0 and are read until they end (a busy node's mountinfo passes 64 KiB).
            using var copy = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int count;
            while (copy.Length < maxBytes && (count = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes - copy.Length))) > 0)
            {
                copy.Write(chunk, 0, count);
            }

            return System.Text.Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static bool IsTruthy(string? value) => value is not null && long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number) && number != 0;
}
