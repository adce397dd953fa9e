namespace Strata.Testing;

/// <summary>
/// Real Debian packages unpacked into one tree, as an image that installed them would hold them: <c>apt-get download</c>
/// of the named packages (from the machine's apt sources, with the machine's package lists, or lists of its own when
/// the machine has none), then <c>dpkg -x</c> of each into the same directory. Built once per set of names into
/// <see cref="RepoPaths.TestCache"/>; needs apt-get, dpkg and the Debian mirror, and fails (never skips) without them.
/// </summary>
public static class DebianPackages
{
    public static async Task<string> GetTreeAsync(params string[] packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var name = "debian-packages-" + FixtureCache.Hash(packages);
        var directory = await FixtureCache.GetOrCreateAsync(name, async partial =>
        {
            var debs = Path.Combine(partial, "debs");
            var tree = Path.Combine(partial, "tree");
            Directory.CreateDirectory(debs);
            Directory.CreateDirectory(tree);
            if ((await ExternalTool.RunAsync("apt-get", ["download", .. packages], workingDirectory: debs, timeout: TimeSpan.FromMinutes(5))).ExitCode != 0)
            {
                // No package lists on this machine (a fresh container): fetch lists of our own, leaving the system's alone.
                var lists = Path.Combine(partial, "lists");
                Directory.CreateDirectory(Path.Combine(lists, "partial"));
                string[] own = ["-o", "Dir::State::Lists=" + lists, "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache="];
                EnsureSucceeded(await ExternalTool.RunAsync("apt-get", [.. own, "update", "-q"], timeout: TimeSpan.FromMinutes(5)), "apt-get update");
                EnsureSucceeded(await ExternalTool.RunAsync("apt-get", [.. own, "download", .. packages], workingDirectory: debs, timeout: TimeSpan.FromMinutes(5)), "apt-get download");
            }

            foreach (var deb in Directory.GetFiles(debs, "*.deb"))
            {
                await ExternalTool.RunCheckedAsync("dpkg", "-x", deb, tree);
            }
        });

        return Path.Combine(directory, "tree");
    }

    private static void EnsureSucceeded(ExternalTool.Result result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} exited {result.ExitCode}:\n{result.StdErr}\n{result.StdOut}");
        }
    }
}
