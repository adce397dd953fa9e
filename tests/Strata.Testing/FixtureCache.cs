namespace Strata.Testing;

using System.Security.Cryptography;
using System.Text;

/// <summary>
/// Builds an expensive fixture once into a directory of <see cref="RepoPaths.TestCache"/> and reuses it across runs.
/// A lock file serialises builders across processes (test projects run in parallel) and within one; a build goes to a
/// partial directory moved into place when complete, so an interrupted build is never taken for a finished one.
/// </summary>
public static class FixtureCache
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(20);

    /// <summary>The first 16 hex digits of SHA-256 over the parts, for cache keys.</summary>
    public static string Hash(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(part));
            sha.AppendData([0]);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    /// <summary>Returns <c>TestCache/name</c>, running <paramref name="build"/> (given an empty directory to fill) when it is not there yet.</summary>
    public static async Task<string> GetOrCreateAsync(string name, Func<string, Task> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var directory = Path.Combine(RepoPaths.TestCache, name);
        var complete = Path.Combine(directory, ".complete");
        if (File.Exists(complete))
        {
            return directory;
        }

        await using var held = await LockAsync(directory + ".lock");
        if (File.Exists(complete))
        {
            return directory;
        }

        var partial = directory + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        Directory.CreateDirectory(partial);
        await build(partial);
        await File.WriteAllTextAsync(Path.Combine(partial, ".complete"), DateTimeOffset.UtcNow.ToString("O"));
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.Move(partial, directory);
        return directory;
    }

    /// <summary>An exclusive lock on a file (flock underneath), waited for with a time limit.</summary>
    public static async Task<FileStream> LockAsync(string path)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }
}
