namespace Strata.Testing;

/// <summary>
/// A minimal Debian bookworm root filesystem made with debootstrap (--variant=minbase), built once and shared
/// by every test project: the tree in <c>TestCache/debootstrap-bookworm-minbase/rootfs/</c> and the same tree as
/// <c>rootfs.tar</c> (made with <c>tar -C rootfs -cf</c>). Needs root and the Debian mirror; if debootstrap fails,
/// the tests that use it fail: they are never skipped.
/// </summary>
public static class DebianRootfs
{
    public const string Suite = "bookworm";

    public const string Mirror = "http://deb.debian.org/debian";

    public static string Directory => Path.Combine(RepoPaths.TestCache, "debootstrap-bookworm-minbase");

    public static string TarPath => Path.Combine(Directory, "rootfs.tar");

    /// <summary>The unpacked tree. Absolute symlinks in it (e.g. var/run -> /run) point at the host: never write through them.</summary>
    public static string RootPath => Path.Combine(Directory, "rootfs");

    public static async Task<string> GetRootfsTarAsync()
    {
        await EnsureAsync();
        return TarPath;
    }

    public static async Task<string> GetRootfsDirectoryAsync()
    {
        await EnsureAsync();
        return RootPath;
    }

    // The tar is written last, so its presence means the tree beside it is complete.
    private static bool Complete => File.Exists(TarPath) && System.IO.Directory.Exists(RootPath);

    private static async Task EnsureAsync()
    {
        if (Complete)
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Directory);
        await using var held = await FixtureCache.LockAsync(Path.Combine(Directory, "build.lock"));
        if (Complete)
        {
            return;
        }

        File.Delete(TarPath);
        var rootfs = RootPath;
        if (System.IO.Directory.Exists(rootfs))
        {
            System.IO.Directory.Delete(rootfs, recursive: true);
        }

        var result = await ExternalTool.RunAsync("debootstrap", ["--variant=minbase", Suite, rootfs, Mirror], timeout: TimeSpan.FromMinutes(15));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"debootstrap --variant=minbase {Suite} exited {result.ExitCode}:\n{result.StdErr}\n{result.StdOut}");
        }

        var partial = TarPath + ".partial";
        await ExternalTool.RunCheckedAsync("tar", "-C", rootfs, "-cf", partial, ".");
        File.Move(partial, TarPath, overwrite: true);
    }
}
