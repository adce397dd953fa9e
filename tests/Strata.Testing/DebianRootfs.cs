namespace Strata.Testing;

/// <summary>
/// A minimal Debian bookworm root filesystem made with debootstrap (--variant=minbase), as a tar, built once and shared
/// by every test project: <c>TestCache/debootstrap-bookworm-minbase/rootfs.tar</c> (made with <c>tar -C rootfs -cf</c>).
/// Needs root and the Debian mirror.
/// </summary>
public static class DebianRootfs
{
    public const string Suite = "bookworm";

    public const string Mirror = "http://deb.debian.org/debian";

    public static string Directory => Path.Combine(RepoPaths.TestCache, "debootstrap-bookworm-minbase");

    public static string TarPath => Path.Combine(Directory, "rootfs.tar");

    public static async Task<string> GetRootfsTarAsync()
    {
        if (File.Exists(TarPath))
        {
            return TarPath;
        }

        System.IO.Directory.CreateDirectory(Directory);
        await using var held = await FixtureCache.LockAsync(Path.Combine(Directory, "build.lock"));
        if (File.Exists(TarPath))
        {
            return TarPath;
        }

        var rootfs = Path.Combine(Directory, "rootfs");
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
        System.IO.Directory.Delete(rootfs, recursive: true);
        return TarPath;
    }
}
