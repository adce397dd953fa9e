namespace Strata.Kernel.Runtimes;

using System.Diagnostics;
using System.Text.RegularExpressions;
using Strata.Core.Packages;

/// <summary>A container runtime found on the host.</summary>
/// <param name="Runtime">runc, containerd, docker, crun, cri-o or podman.</param>
/// <param name="Upstream">The upstream release it is built from, in Debian version order ("1.1.5", "1.0.0~rc95").</param>
/// <param name="Source">Where it was found: "dpkg package runc 1.1.5+ds1-1+deb12u1" or "/usr/local/bin/runc --version".</param>
/// <param name="Package">The distribution package and its version, when a distribution built it (fixes may be backported).</param>
public sealed record InstalledRuntime(string Runtime, DebianVersion Upstream, string Source, (string Name, DebianVersion Version)? Package);

/// <summary>Finds container runtimes: in the dpkg database under the host root, and on the real host by asking the binaries.</summary>
public static partial class RuntimeInventory
{
    /// <summary>Packages built by the runtime's own project, which follow its releases without backports.</summary>
    private static readonly HashSet<string> UpstreamPackages = new(StringComparer.Ordinal) { "docker-ce", "containerd.io" };

    /// <summary>RPM names beyond the shared ones (on Debian, "docker" is an unrelated tray program).</summary>
    private static readonly Dictionary<string, string[]> RpmOnlyNames = new(StringComparer.Ordinal)
    {
        ["docker"] = ["moby-engine", "docker"],
    };

    /// <summary>Where RPM keeps its database: /var/lib/rpm, or /usr/lib/sysimage/rpm since Fedora 36 and RHEL 10.</summary>
    private static readonly string[] RpmDatabases = ["/var/lib/rpm", "/usr/lib/sysimage/rpm"];

    private static readonly string[] BinaryDirectories = ["/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/usr/sbin", "/bin", "/sbin"];

    private static readonly Dictionary<string, string> Binaries = new(StringComparer.Ordinal)
    {
        ["runc"] = "runc", ["containerd"] = "containerd", ["docker"] = "docker", ["crun"] = "crun", ["cri-o"] = "crio", ["podman"] = "podman",
    };

    /// <param name="packages">For each runtime, the package names that ship it.</param>
    /// <param name="probeBinaries">Run <c>NAME --version</c> for runtimes not known to dpkg: only for the real host ("/"), never for another root.</param>
    public static IReadOnlyList<InstalledRuntime> Find(HostSnapshot host, IReadOnlyDictionary<string, IReadOnlyList<string>> packages, bool probeBinaries)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(packages);
        var found = new List<InstalledRuntime>();
        var installed = DpkgInstalled(host.ReadLarge("/var/lib/dpkg/status"));
        foreach (var (runtime, names) in packages)
        {
            foreach (var name in names)
            {
                if (installed.TryGetValue(name, out var version) && UpstreamOf(version.Upstream) is { } upstream)
                {
                    found.Add(new InstalledRuntime(runtime, upstream, $"dpkg package {name} {version}", UpstreamPackages.Contains(name) ? null : (name, version)));
                }
            }
        }

        var rpm = RpmInstalled(host);
        foreach (var (runtime, names) in packages)
        {
            foreach (var name in names.Concat(RpmOnlyNames.GetValueOrDefault(runtime) ?? []))
            {
                if (rpm.TryGetValue(name, out var package) && UpstreamOf(package.Version) is { } upstream && DebianVersion.TryParse(package.Version + "-" + package.Release, out var full))
                {
                    found.Add(new InstalledRuntime(runtime, upstream, $"rpm package {name} {package.Version}-{package.Release}", UpstreamPackages.Contains(name) ? null : (name, full)));
                }
            }
        }

        if (probeBinaries)
        {
            foreach (var (runtime, binary) in Binaries)
            {
                if (found.Any(r => r.Runtime == runtime))
                {
                    continue;
                }

                foreach (var directory in BinaryDirectories)
                {
                    var path = Path.Combine(directory, binary);
                    if (File.Exists(path) && AskVersion(path) is { } upstream)
                    {
                        found.Add(new InstalledRuntime(runtime, upstream, $"{path} --version", null));
                        break;
                    }
                }
            }
        }

        return found;
    }

    /// <summary>The installed packages of a dpkg status file, with their versions.</summary>
    internal static Dictionary<string, DebianVersion> DpkgInstalled(string? status)
    {
        var result = new Dictionary<string, DebianVersion>(StringComparer.Ordinal);
        if (status is null)
        {
            return result;
        }

        foreach (var paragraph in status.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n"))
        {
            string? name = null, version = null, state = null;
            foreach (var line in paragraph.Split('\n'))
            {
                if (line.StartsWith("Package: ", StringComparison.Ordinal))
                {
                    name = line[9..].Trim();
                }
                else if (line.StartsWith("Version: ", StringComparison.Ordinal))
                {
                    version = line[9..].Trim();
                }
                else if (line.StartsWith("Status: ", StringComparison.Ordinal))
                {
                    state = line[8..].Trim();
                }
            }

            if (name is not null && state?.EndsWith(" installed", StringComparison.Ordinal) == true && DebianVersion.TryParse(version, out var parsed))
            {
                result[name] = parsed;
            }
        }

        return result;
    }

    /// <summary>
    /// The installed packages of an RPM database under the host root (name → version, release), read with the `rpm` tool of
    /// this machine (Debian `rpm`), which only reads the database; empty when there is none or no `rpm` to read it.
    /// </summary>
    internal static Dictionary<string, (string Version, string Release)> RpmInstalled(HostSnapshot host)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var database = RpmDatabases.FirstOrDefault(d => host.Exists(d + "/rpmdb.sqlite") || host.Exists(d + "/Packages") || host.Exists(d + "/Packages.db"));
        if (database is null)
        {
            return result;
        }

        try
        {
            var info = new ProcessStartInfo("rpm", ["--dbpath", host.Resolve(database), "-qa", "--qf", "%{NAME}\t%{VERSION}\t%{RELEASE}\n"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info);
            if (process is null)
            {
                return result;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(20_000))
            {
                process.Kill(entireProcessTree: true);
                return result;
            }

            foreach (var line in output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(100_000))
            {
                var fields = line.Split('\t');
                if (fields.Length == 3)
                {
                    result[fields[0]] = (fields[1], fields[2]);
                }
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            // No rpm tool on this machine: an RPM host's runtimes are then found only by asking the binaries.
        }

        return result;
    }

    /// <summary>"1.1.5+ds1" → 1.1.5, "1.6.20~ds1" → 1.6.20, "24.0.7" → 24.0.7, "1.0.0-rc95" → 1.0.0~rc95.</summary>
    internal static DebianVersion? UpstreamOf(string text)
    {
        var match = UpstreamRelease().Match(text);
        return match.Success && DebianVersion.TryParse(match.Groups["release"].Value + (match.Groups["rc"].Success ? "~rc" + match.Groups["rc"].Value : string.Empty), out var version) ? version : null;
    }

    private static DebianVersion? AskVersion(string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, ["--version"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            // "runc version 1.1.12", "containerd github.com/containerd/containerd v1.7.13 …", "Docker version 24.0.7, build …", "crio version 1.28.1".
            return VersionInOutput().Match(output.Result) is { Success: true } match ? UpstreamOf(match.Value.TrimStart('v')) : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?<release>[0-9]+\.[0-9]+(?:\.[0-9]+)?)(?:[-~.]?rc\.?(?<rc>[0-9]+))?")]
    private static partial Regex UpstreamRelease();

    [GeneratedRegex(@"\bv?[0-9]+\.[0-9]+(?:\.[0-9]+)?(?:-rc\.?[0-9]+)?\b")]
    private static partial Regex VersionInOutput();
}
