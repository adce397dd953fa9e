namespace Strata.Fuzz;

/// <summary>
/// A private directory for targets whose code under test reads a file (the scanners open their target by
/// path, docker-archive indexes a tar file). One per process; each input overwrites the same file.
/// </summary>
public static class ScratchDirectory
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("strata-fuzz-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return directory;
    });

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> in the directory and returns its path.</summary>
    public static string Write(string name, ReadOnlySpan<byte> bytes)
    {
        var path = Path.Combine(Root.Value, name);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        file.Write(bytes);
        return path;
    }
}
