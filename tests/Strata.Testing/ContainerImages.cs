namespace Strata.Testing;

using System.Text;

/// <summary>What to build: a Containerfile and its context (text files, and files copied from the host).</summary>
/// <param name="Name">Names the cache directory and the image tag.</param>
/// <param name="Texts">Context files by relative path, with their text (written 0644, directories 0755).</param>
/// <param name="Copies">Context files by relative path, copied from a host path (keyed by path, size and time, not content).</param>
/// <param name="DockerFormat">Build a Docker-format image (HEALTHCHECK survives only there) and also write a docker-archive.</param>
/// <param name="BuildArgs">Passed as <c>--build-arg NAME=value</c> (buildah records them in the history of each RUN).</param>
public sealed record ImageRecipe(string Name, string Containerfile, IReadOnlyDictionary<string, string> Texts, IReadOnlyDictionary<string, string>? Copies = null, bool DockerFormat = false, IReadOnlyDictionary<string, string>? BuildArgs = null);

/// <summary>A built image: an OCI layout, and a docker-archive for Docker-format builds.</summary>
public sealed record BuiltImage(string Directory, bool HasDockerArchive)
{
    public string OciLayout => Path.Combine(Directory, "oci");

    /// <summary>e.g. <c>oci:/…/oci:latest</c>.</summary>
    public string OciReference => $"oci:{OciLayout}:latest";

    public string DockerArchiveReference => $"docker-archive:{Path.Combine(Directory, "image.docker.tar")}";
}

/// <summary>Builds test images with buildah (vfs storage, chroot isolation, one layer per step), cached by recipe.</summary>
public static class ContainerImages
{
    private const int Version = 1;

    public static Task<BuiltImage> BuildAsync(ImageRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var parts = new List<string> { recipe.Name, recipe.Containerfile, recipe.DockerFormat.ToString(), Version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (path, text) in recipe.Texts.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            parts.Add(path);
            parts.Add(text);
        }

        foreach (var (path, source) in (recipe.Copies ?? new Dictionary<string, string>()).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var info = new FileInfo(source);
            parts.Add(path);
            parts.Add($"{source}:{info.Length}:{info.LastWriteTimeUtc.Ticks}");
        }

        foreach (var (name, value) in (recipe.BuildArgs ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            parts.Add("--build-arg");
            parts.Add($"{name}={value}");
        }

        return BuildCachedAsync(recipe, FixtureCache.Hash([.. parts]));
    }

    private static async Task<BuiltImage> BuildCachedAsync(ImageRecipe recipe, string key)
    {
        var directory = await FixtureCache.GetOrCreateAsync($"image-{recipe.Name}-{key}", work => BuildIntoAsync(recipe, work));
        return new BuiltImage(directory, recipe.DockerFormat);
    }

    private static async Task BuildIntoAsync(ImageRecipe recipe, string work)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("buildah images are built on Linux only");
        }

        var context = Path.Combine(work, "context");
        Directory.CreateDirectory(context);
        foreach (var (relative, text) in recipe.Texts)
        {
            var path = Path.Combine(context, relative);
            CreateDirectories(context, Path.GetDirectoryName(path) ?? context);
            await File.WriteAllTextAsync(path, text, new UTF8Encoding(false));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        foreach (var (relative, source) in recipe.Copies ?? new Dictionary<string, string>())
        {
            var path = Path.Combine(context, relative);
            CreateDirectories(context, Path.GetDirectoryName(path) ?? context);
            File.Copy(source, path);
        }

        await File.WriteAllTextAsync(Path.Combine(context, "Containerfile"), recipe.Containerfile);
        var storage = Path.Combine(work, "storage");
        string[] buildah = ["--storage-driver", "vfs", "--root", Path.Combine(storage, "root"), "--runroot", Path.Combine(storage, "run")];
        var tag = $"localhost/strata-test-{recipe.Name}:latest";
        try
        {
            string[] format = recipe.DockerFormat ? ["--format", "docker"] : [];
            string[] buildArgs = [.. (recipe.BuildArgs ?? new Dictionary<string, string>()).SelectMany(a => new[] { "--build-arg", $"{a.Key}={a.Value}" })];
            await ExternalTool.RunCheckedAsync("buildah", [.. buildah, "bud", "--layers", "--isolation", "chroot", .. format, .. buildArgs, "-f", Path.Combine(context, "Containerfile"), "-t", tag, context]);
            await ExternalTool.RunCheckedAsync("buildah", [.. buildah, "push", tag, $"oci:{Path.Combine(work, "oci")}:latest"]);
            if (recipe.DockerFormat)
            {
                await ExternalTool.RunCheckedAsync("buildah", [.. buildah, "push", tag, $"docker-archive:{Path.Combine(work, "image.docker.tar")}:{tag}"]);
            }
        }
        finally
        {
            await ExternalTool.RunAsync("buildah", [.. buildah, "rmi", "--all", "--force"]);
            Directory.Delete(storage, recursive: true);
            Directory.Delete(context, recursive: true);
        }
    }

    /// <summary>Creates directories with 0755 whatever the umask, so test images hold no accidental world-writable paths.</summary>
    private static void CreateDirectories(string root, string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("buildah images are built on Linux only");
        }

        var relative = Path.GetRelativePath(root, directory);
        var current = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."))
        {
            current = Path.Combine(current, part);
            Directory.CreateDirectory(current, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }
}
