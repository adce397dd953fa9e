namespace Strata.Images.Hardening;

/// <summary>What a package database says is installed: how many packages, and which database.</summary>
/// <param name="Count">Null when the database is present but not read (rpm).</param>
/// <param name="Names">Installed package names, where the database lists them (dpkg, apk).</param>
public sealed record InstalledPackages(string Manager, string DatabasePath, int? Count, IReadOnlySet<string> Names)
{
    private static readonly string[] RpmDatabases = ["var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite", "var/lib/rpm/Packages", "var/lib/rpm/Packages.db"];

    /// <summary>Every package database found in the image (usually one).</summary>
    public static IReadOnlyList<InstalledPackages> Read(ImageView image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var found = new List<InstalledPackages>();
        if (image.Resolve("var/lib/dpkg/status") is { } dpkgFile && image.ReadText("var/lib/dpkg/status") is { } dpkg)
        {
            var names = DpkgInstalled(dpkg);
            found.Add(new InstalledPackages("dpkg", dpkgFile.Path, names.Count, names));
        }

        // Distroless keeps one status file per package instead of one database.
        var distroless = image.Below("var/lib/dpkg/status.d")
            .Where(f => f.Type == Oci.Layers.EntryType.File && !f.Name.EndsWith(".md5sums", StringComparison.Ordinal))
            .Select(f => f.Name)
            .ToHashSet(StringComparer.Ordinal);
        if (distroless.Count > 0)
        {
            found.Add(new InstalledPackages("dpkg (status.d)", "/var/lib/dpkg/status.d", distroless.Count, distroless));
        }

        foreach (var apkPath in new[] { "lib/apk/db/installed", "usr/lib/apk/db/installed" })
        {
            if (image.Resolve(apkPath) is { } apkFile && image.ReadText(apkPath) is { } apk)
            {
                var names = apk.Split('\n').Where(l => l.StartsWith("P:", StringComparison.Ordinal)).Select(l => l[2..].Trim()).ToHashSet(StringComparer.Ordinal);
                found.Add(new InstalledPackages("apk", apkFile.Path, names.Count, names));
                break;
            }
        }

        foreach (var rpmPath in RpmDatabases)
        {
            if (image.Resolve(rpmPath) is { Type: Oci.Layers.EntryType.File } rpmFile)
            {
                found.Add(new InstalledPackages("rpm", rpmFile.Path, null, new HashSet<string>()));
                break;
            }
        }

        return found;
    }

    /// <summary>Packages whose Status ends in "installed" (not config-files, half-installed, not-installed).</summary>
    public static HashSet<string> DpkgInstalled(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var names = new HashSet<string>(StringComparer.Ordinal);
        string? package = null;
        var installed = false;
        foreach (var raw in status.Split('\n').Append(string.Empty))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                if (package is not null && installed)
                {
                    names.Add(package);
                }

                package = null;
                installed = false;
            }
            else if (line.StartsWith("Package:", StringComparison.Ordinal))
            {
                package = line["Package:".Length..].Trim();
            }
            else if (line.StartsWith("Status:", StringComparison.Ordinal))
            {
                installed = line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } words && words[^1] == "installed";
            }
        }

        return names;
    }
}
