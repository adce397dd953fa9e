namespace Strata.Signing.Tests;

using Strata.Testing;

/// <summary>A throw-away GNUPGHOME for the real gpg and skopeo, with keys imported; its gpg-agent is stopped on dispose.</summary>
internal sealed class SimpleSigningGnuPgHome : IAsyncDisposable
{
    private readonly TempDirectory directory = new("strata-gpg");

    private SimpleSigningGnuPgHome()
    {
        Path = directory.Combine("home");
        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            // gpg warns about a home other users can read.
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Path { get; }

    public IDictionary<string, string> Environment => new Dictionary<string, string> { ["GNUPGHOME"] = Path };

    public static async Task<SimpleSigningGnuPgHome> CreateAsync(params string[] keyFiles)
    {
        var home = new SimpleSigningGnuPgHome();
        foreach (var file in keyFiles)
        {
            await home.RunCheckedAsync("gpg", "--batch", "--import", file);
        }

        return home;
    }

    public Task<ExternalTool.Result> RunAsync(string tool, params string[] arguments) =>
        ExternalTool.RunAsync(tool, arguments, environment: Environment, timeout: TimeSpan.FromMinutes(2));

    public async Task<string> RunCheckedAsync(string tool, params string[] arguments)
    {
        var result = await RunAsync(tool, arguments);
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StdErr}");
        return result.StdOut;
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("gpgconf", "--kill", "gpg-agent");
        directory.Dispose();
    }
}
