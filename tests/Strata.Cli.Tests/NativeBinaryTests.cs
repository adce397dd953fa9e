namespace Strata.Cli.Tests;

using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Strata.Testing;

/// <summary>
/// The release artefact: the NativeAOT binary that <c>dotnet publish src/Strata.Cli -p:PublishProfile=native</c> writes,
/// run as a shell runs it, against the JIT build on the same inputs. Publishing takes minutes, so the binary is cached
/// under <see cref="RepoPaths.TestCache"/> by a hash of everything it is built from.
/// </summary>
public sealed partial class NativeBinaryTests
{
    private static readonly string JitBuild = Path.Combine(AppContext.BaseDirectory, "strata.dll");

    private static readonly Lazy<Task<string>> Native = new(PublishAsync);

    /// <summary>The published native binary (built once per content of its sources); other tests copy it into containers.</summary>
    internal static Task<string> BinaryAsync() => Native.Value;

    [Fact]
    public async Task Native_binary_prints_the_version_of_the_JIT_build()
    {
        var native = await ExternalTool.RunAsync(await Native.Value, ["--version"]);
        var jit = await ExternalTool.RunAsync("dotnet", [JitBuild, "--version"]);
        Assert.Equal(0, native.ExitCode);

        // The part after '+' names the commit the build saw: the binary is published from a copy outside this checkout.
        Assert.Equal(jit.StdOut.Split('+')[0].Trim(), native.StdOut.Split('+')[0].Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+", native.StdOut);
        Assert.Equal(string.Empty, native.StdErr);
    }

    [Theory]
    [InlineData("dockerfile:examples/Containerfile")]
    [InlineData("examples/k8s/deployment.yaml")]
    [InlineData("seccomp:examples/seccomp/profile.json")]
    [InlineData("runtime-config:examples/runtime/config.json")]
    public async Task Native_binary_scans_one_file_as_the_JIT_build_does(string target)
    {
        string[] arguments = ["scan", target, "--fail-on", "LOW", "--format", "json"];
        var native = await ExternalTool.RunAsync(await Native.Value, arguments, RepoPaths.Root);
        var jit = await ExternalTool.RunAsync("dotnet", [JitBuild, .. arguments], RepoPaths.Root);
        Assert.Equal(1, native.ExitCode);
        Assert.Equal(jit.ExitCode, native.ExitCode);
        Assert.StartsWith("{", native.StdOut, StringComparison.Ordinal);
        Assert.Equal(WithoutTimestamp(jit.StdOut), WithoutTimestamp(native.StdOut));
        Assert.Equal(jit.StdErr, native.StdErr);
    }

    [Fact]
    public async Task Native_binary_lists_the_rules_of_the_JIT_build()
    {
        var native = await ExternalTool.RunAsync(await Native.Value, ["rules", "list", "--format", "json"]);
        var jit = await ExternalTool.RunAsync("dotnet", [JitBuild, "rules", "list", "--format", "json"]);
        Assert.Equal(0, native.ExitCode);
        Assert.Contains("\"DKF-002\"", native.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"SEC-", native.StdOut, StringComparison.Ordinal);
        Assert.Equal(WithoutTimestamp(jit.StdOut), WithoutTimestamp(native.StdOut));
    }

    [Fact]
    public async Task Native_binary_refuses_bad_input_with_one_clear_line()
    {
        using var temp = new TempDirectory();
        var broken = Path.Combine(temp.Path, "profile.json");
        await File.WriteAllTextAsync(broken, "{ \"defaultAction\": ");
        var binary = await Native.Value;

        var unreadable = await ExternalTool.RunAsync(binary, ["scan", "seccomp:" + broken, "--format", "json"]);
        var jitUnreadable = await ExternalTool.RunAsync("dotnet", [JitBuild, "scan", "seccomp:" + broken, "--format", "json"]);
        Assert.Equal(3, unreadable.ExitCode);
        Assert.StartsWith("strata: ", unreadable.StdErr, StringComparison.Ordinal);
        Assert.Equal(jitUnreadable.StdErr, unreadable.StdErr);

        var usage = await ExternalTool.RunAsync(binary, ["scan", "--no-such-option"]);
        Assert.Equal(2, usage.ExitCode);
        Assert.Equal(string.Empty, usage.StdOut);
        Assert.Contains("--no-such-option", usage.StdErr, StringComparison.Ordinal);
    }

    /// <summary>The report's creation time is the only field two runs may differ in.</summary>
    private static string WithoutTimestamp(string json) => CreatedAt().Replace(json, "\"createdAt\": \"\"");

    /// <summary>
    /// Publishes a copy of the sources (so the repository's own obj/ and lock files are never touched while other test
    /// projects run) with the native profile, once per content hash of what the binary is built from.
    /// </summary>
    private static async Task<string> PublishAsync()
    {
        var root = RepoPaths.Root;
        var inputs = SourceFiles(root).ToList();
        var directory = await FixtureCache.GetOrCreateAsync("strata-native-" + ContentHash(root, inputs), async partial =>
        {
            var source = Path.Combine(partial, "source");
            foreach (var file in inputs)
            {
                var copy = Path.Combine(source, file);
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(Path.Combine(root, file), copy);
            }

            var output = Path.Combine(partial, "bin");
            var publish = await ExternalTool.RunAsync(
                "dotnet",
                ["publish", Path.Combine(source, "src", "Strata.Cli"), "-p:PublishProfile=native", "-o", output, "-nologo", "-v", "q"],
                source,
                TimeSpan.FromMinutes(30));
            Assert.True(publish.ExitCode == 0, $"dotnet publish -p:PublishProfile=native failed:\n{publish.StdOut}\n{publish.StdErr}");
            Directory.Delete(source, recursive: true);
        });
        var binary = Path.Combine(directory, "bin", "strata");
        Assert.True(File.Exists(binary), $"{binary}: the native profile wrote no strata executable");
        return binary;
    }

    /// <summary>Every file the native binary is built from, relative to the repository root, in a stable order.</summary>
    private static IEnumerable<string> SourceFiles(string root)
    {
        string[] top = ["Directory.Build.props", "Directory.Packages.props", "global.json", "Strata.slnx"];
        var files = top.Where(f => File.Exists(Path.Combine(root, f)));
        foreach (var tree in new[] { "src", "examples" })
        {
            files = files.Concat(Directory.EnumerateFiles(Path.Combine(root, tree), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f))
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")));
        }

        return files.Order(StringComparer.Ordinal);
    }

    private static string ContentHash(string root, IEnumerable<string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file));
            sha.AppendData([0]);
            sha.AppendData(File.ReadAllBytes(Path.Combine(root, file)));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    [GeneratedRegex("\"createdAt\": \"[^\"]*\"")]
    private static partial Regex CreatedAt();
}
