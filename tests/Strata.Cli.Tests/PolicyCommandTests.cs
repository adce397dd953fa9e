namespace Strata.Cli.Tests;

using Strata.Testing;

/// <summary><c>strata policy check|lint</c> on containers/image's signed dir: fixtures.</summary>
public sealed class PolicyCommandTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(RepoPaths.Shared, "fixtures", "containers-image-signatures");
    private readonly string directory = Directory.CreateTempSubdirectory("strata-policy-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task AcceptsASignedImageAndSaysWhy()
    {
        var policy = Write("""{"default":[{"type":"reject"}],"transports":{"dir":{"":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"KEY"}]}}}""");
        var result = await CliRunner.RunAsync("policy", "check", "--policy", policy, "--docker-reference", "testing/manifest:latest", "dir:" + Path.Combine(Fixtures, "dir-img-valid"));
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("accepted: dir:", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("scope transports.dir[\"\"]", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("signed by 08CD26E446E2E95249B7A405E932F44B23E8DD43", result.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dir-img-valid", "testing/manifest:other", "identity mismatch")]
    [InlineData("dir-img-manifest-digest-error", "testing/manifest:latest", "manifest digest mismatch")]
    [InlineData("dir-img-unsigned", "testing/manifest:latest", "no simple-signing signature exists")]
    public async Task RejectsAndSaysWhich(string image, string identity, string reason)
    {
        var policy = Write("""{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"KEY"}]}""");
        var result = await CliRunner.RunAsync("policy", "check", "--policy", policy, "--docker-reference", identity, "--format", "json", "dir:" + Path.Combine(Fixtures, image));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"accepted\": false", result.StdOut, StringComparison.Ordinal);
        Assert.Contains(reason, result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitCodesForUsageAndUnreadablePolicies()
    {
        Assert.Equal(2, (await CliRunner.RunAsync("policy", "check", "--policy", Path.Combine(directory, "missing.json"), "busybox")).ExitCode);
        var invalid = Write("""{"default":[{"type":"reject","extra":1}]}""");
        var result = await CliRunner.RunAsync("policy", "check", "--policy", invalid, "busybox");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("unknown key \"extra\"", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(3, (await CliRunner.RunAsync("policy", "lint", invalid)).ExitCode);
    }

    [Fact]
    public async Task LintListsTheScopes()
    {
        var result = await CliRunner.RunAsync("policy", "lint", Path.Combine(Fixtures, "policy.json"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("docker \"example.com/playground\": insecureAcceptAnything", result.StdOut, StringComparison.Ordinal);
    }

    private string Write(string json)
    {
        var path = Path.Combine(directory, $"policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.Replace("KEY", Path.Combine(Fixtures, "public-key.gpg"), StringComparison.Ordinal));
        return path;
    }
}
