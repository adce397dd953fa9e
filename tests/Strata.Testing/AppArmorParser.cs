namespace Strata.Testing;

using Xunit;

/// <summary>The real apparmor_parser (Debian package apparmor), in parse-only mode.</summary>
public static class AppArmorParser
{
    /// <summary>apparmor_parser -Q (parse and compile, no kernel load) -K (no cache) exits 0 for a valid profile.</summary>
    public static async Task AssertParsesAsync(string profile)
    {
        using var dir = new TempDirectory("strata-apparmor");
        var path = dir.WriteFile("profile", profile);
        var result = await ExternalTool.RunAsync("apparmor_parser", ["-Q", "-K", path]);
        Assert.True(result.ExitCode == 0, $"apparmor_parser exited {result.ExitCode}: {result.StdErr}\n{profile}");
    }
}
