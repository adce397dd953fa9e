namespace Strata.Testing;

/// <summary>Where the repository, its examples and ../shared are, wherever the tests run from.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Strata.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Strata.slnx not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    /// <summary>The read-only ../shared folder beside the repository.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Examples => Path.Combine(Root, "examples");

    /// <summary>
    /// A cache for expensive fixtures (built images, debootstrap trees), kept between runs; <c>STRATA_TEST_CACHE</c>
    /// points several checkouts at one cache (entries are keyed by content and guarded by lock files).
    /// </summary>
    public static string TestCache
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("STRATA_TEST_CACHE") is { Length: > 0 } shared
                ? Path.GetFullPath(shared)
                : Path.Combine(Root, ".test-cache");
            Directory.CreateDirectory(path);
            return path;
        }
    }
}
