namespace Strata.Runtime.Tests;

using Strata.Core;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Runtime.Seccomp;
using Strata.Testing;

public sealed class SeccompTests
{
    private static async Task<IReadOnlyList<Core.Findings.Finding>> ScanAsync(string path) =>
        await new SeccompScanner().ScanAsync(new ScanTarget(TargetKind.SeccompProfile, path, path), new ScanContext(), CancellationToken.None);

    [Fact]
    public async Task Docker_default_profile_is_clean()
    {
        // Docker's own default: an allowlist that conditions every dangerous syscall on a capability.
        var findings = await ScanAsync(Path.Combine(RepoPaths.Shared, "fixtures", "seccomp", "moby-default.json"));
        Assert.Empty(findings);
    }

    [Fact]
    public async Task Example_denylist_profile_is_flagged_with_lines()
    {
        var findings = await ScanAsync(Path.Combine(RepoPaths.Examples, "seccomp", "profile.json"));
        var defaultAllow = Assert.Single(findings, f => f.RuleId == "SCP-001");
        Assert.Equal(2, defaultAllow.Location.Line);
        Assert.Equal("$.defaultAction", defaultAllow.Location.JsonPath);
        var dangerous = Assert.Single(findings, f => f.RuleId == "SCP-002");
        Assert.Contains("unshare", dangerous.Evidence!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("kexec_load", dangerous.Evidence!.Text, StringComparison.Ordinal); // the profile denies it
    }

    [Fact]
    public async Task Unconditional_allow_of_dangerous_and_clone_syscalls_is_flagged_per_syscall()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("p.json", """
            {
              "defaultAction": "SCMP_ACT_ERRNO",
              "syscalls": [
                { "names": ["read", "write", "clone", "unshare"], "action": "SCMP_ACT_ALLOW" },
                { "names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["CAP_SYS_ADMIN"] } }
              ]
            }
            """);
        // SCP-005 (no architectures) and SCP-006 (clone3 gets EPERM) apply too; this test is about the other two.
        var findings = (await ScanAsync(path)).Where(f => f.RuleId is "SCP-002" or "SCP-003").ToList();
        Assert.Equal(["SCP-002", "SCP-003"], findings.Select(f => f.RuleId).Order().ToArray());
        Assert.All(findings, f => Assert.Equal(4, f.Location.Line));
        Assert.Equal("unshare", findings.Single(f => f.RuleId == "SCP-002").Location.Subject);
    }

    [Theory]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [ {\"names\": \"read\", \"action\": \"SCMP_ACT_ALLOW\"} ]}", "$.syscalls[0].names", ":2")]
    [InlineData("{\"syscalls\": []}", "$.defaultAction", "p.json")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n\n \"syscalls\": [ }", "malformed JSON", ":3")]
    [InlineData("[1, 2]", "must be a JSON object", "p.json")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [{\"names\": [\"\\udc00\"]}]}", "$.syscalls[0].names[0]: a string is not valid UTF-8", ":2")]
    public async Task Malformed_profiles_name_file_line_and_path(string content, string expected, string location)
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("p.json", content);
        var error = await Assert.ThrowsAsync<StrataException>(() => ScanAsync(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(location, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Error, error.ExitCode);
    }
}
