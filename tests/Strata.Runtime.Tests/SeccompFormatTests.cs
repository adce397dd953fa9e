namespace Strata.Runtime.Tests;

using Strata.Core;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Runtime.Seccomp;
using Strata.Testing;

/// <summary>The three profile formats: read, written, resolved, compared, and refused when malformed.</summary>
public sealed class SeccompFormatTests
{
    private static readonly string MobyDefault = Path.Combine(RepoPaths.Shared, "fixtures", "seccomp", "moby-default.json");

    private static readonly SeccompTarget X86WithDockerCaps = new(SyscallTable.Find("x86_64")!, new HashSet<string>(["CAP_CHOWN", "CAP_SETUID", "CAP_SYS_CHROOT"]), new KernelVersion(6, 1));

    [Fact]
    public void Moby_default_round_trips_byte_for_byte()
    {
        var profile = SeccompProfileReader.Load(MobyDefault);
        Assert.Equal(SeccompFormat.Docker, profile.Format);
        Assert.Equal(9, profile.ArchMap.Count);
        Assert.Null(profile.ArchMap.Single(a => a.Architecture == "SCMP_ARCH_RISCV64").SubArchitectures);
        Assert.Equal(File.ReadAllText(MobyDefault), SeccompProfileWriter.Write(profile, SeccompFormat.Docker));
    }

    [Fact]
    public void Moby_default_goes_through_oci_and_spo_and_back_unchanged()
    {
        using var dir = new TempDirectory();
        var resolved = SeccompResolver.Resolve(SeccompProfileReader.Load(MobyDefault), X86WithDockerCaps);
        var oci = SeccompProfileWriter.Write(resolved, SeccompFormat.Oci);

        var fromOci = SeccompProfileReader.Load(dir.WriteFile("oci.json", oci));
        Assert.Equal(SeccompFormat.Oci, fromOci.Format);
        var spo = SeccompProfileWriter.Write(fromOci with { Spo = new SpoMetadata("moby", "default", null, null) }, SeccompFormat.Spo);
        Assert.StartsWith("apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\n", spo, StringComparison.Ordinal);

        var fromSpo = SeccompProfileReader.Load(dir.WriteFile("profile.yaml", spo));
        Assert.Equal(SeccompFormat.Spo, fromSpo.Format);
        Assert.Equal(new SpoMetadata("moby", "default", null, null), fromSpo.Spo);
        Assert.Equal("$.spec", fromSpo.BasePath);
        Assert.Equal(oci, SeccompProfileWriter.Write(fromSpo, SeccompFormat.Oci));
        Assert.Equal(spo, SeccompProfileWriter.Write(fromSpo, SeccompFormat.Spo));

        // The OCI form is also a valid moby profile (the flat architectures list, no conditions).
        var docker = SeccompProfileWriter.Write(fromSpo, SeccompFormat.Docker);
        Assert.Equal(oci, SeccompProfileWriter.Write(SeccompProfileReader.Load(dir.WriteFile("docker.json", docker)), SeccompFormat.Oci));
        Assert.Empty(SeccompDiff.Compare(resolved, fromSpo));
    }

    [Fact]
    public void Resolving_applies_arch_caps_and_kernel_as_moby_does()
    {
        var moby = SeccompProfileReader.Load(MobyDefault);
        var plain = SeccompDiff.Treatments(SeccompResolver.Resolve(moby, X86WithDockerCaps));
        Assert.Equal("SCMP_ACT_ERRNO(38)", plain["clone3"]);
        Assert.Equal("SCMP_ACT_ALLOW if arg0 & 0x7e020000 == 0", plain["clone"]);
        Assert.False(plain.ContainsKey("mount"));
        Assert.Equal("SCMP_ACT_ALLOW", plain["ptrace"]);
        Assert.Equal("SCMP_ACT_ALLOW", plain["chroot"]);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], SeccompResolver.Resolve(moby, X86WithDockerCaps).Architectures);

        var admin = SeccompDiff.Treatments(SeccompResolver.Resolve(moby, X86WithDockerCaps with { Caps = new HashSet<string>(["CAP_SYS_ADMIN"]) }));
        Assert.Equal("SCMP_ACT_ALLOW", admin["mount"]);
        Assert.Equal("SCMP_ACT_ALLOW", admin["clone3"]);
        Assert.False(admin.ContainsKey("chroot"));

        var oldKernel = SeccompDiff.Treatments(SeccompResolver.Resolve(moby, X86WithDockerCaps with { Kernel = new KernelVersion(4, 4) }));
        Assert.False(oldKernel.ContainsKey("ptrace"));

        var s390 = SeccompResolver.Resolve(moby, X86WithDockerCaps with { Arch = SyscallTable.Find("s390x")! });
        Assert.Equal("SCMP_ACT_ALLOW if arg1 & 0x7e020000 == 0", SeccompDiff.Treatments(s390)["clone"]);
        Assert.Equal(["SCMP_ARCH_S390X", "SCMP_ARCH_S390"], s390.Architectures);
    }

    [Fact]
    public void Diff_names_each_syscall_treated_differently()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("p.json", """
            {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [{"names": ["read", "write", "bpf"], "action": "SCMP_ACT_ALLOW"}, {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}
            """);
        var differences = SeccompDiff.Compare(SeccompProfileReader.Load(path), SeccompProfileReader.Load(MobyDefault));
        var bpf = Assert.Single(differences, d => d.Subject == "bpf");
        Assert.Equal("SCMP_ACT_ALLOW", bpf.InA);
        Assert.Equal("SCMP_ACT_ALLOW when caps CAP_BPF; SCMP_ACT_ALLOW when caps CAP_SYS_ADMIN", bpf.InB);
        Assert.Equal("(default: SCMP_ACT_ERRNO(1))", differences.Single(d => d.Subject == "accept").InA);
        Assert.Contains(differences, d => d.Subject == "architectures");
        Assert.DoesNotContain(differences, d => d.Subject is "read" or "write" or "defaultAction");
    }

    [Fact]
    public async Task Spo_object_is_scanned_with_yaml_lines()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("profile.yaml", """
            apiVersion: security-profiles-operator.x-k8s.io/v1beta1
            kind: SeccompProfile
            metadata:
              name: app
            spec:
              defaultAction: SCMP_ACT_ERRNO
              architectures:
              - SCMP_ARCH_X86_64
              syscalls:
              - action: SCMP_ACT_ALLOW
                names:
                - read
                - bpf
                - clone3
            """);
        var findings = await new SeccompScanner().ScanAsync(new ScanTarget(TargetKind.SeccompProfile, path, path), new ScanContext(), CancellationToken.None);
        Assert.Equal(["SCP-002", "SCP-003"], findings.Select(f => f.RuleId).Order().ToArray());
        Assert.All(findings, f => Assert.Equal(10, f.Location.Line));
        Assert.All(findings, f => Assert.Equal("$.spec.syscalls[0]", f.Location.JsonPath));
    }

    [Theory]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_DENY\"}", "$.defaultAction is not a seccomp action ('SCMP_ACT_DENY'", ":1")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\",\n \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_MATCH\"}]}]}", "$.syscalls[0].args[0].op is not a seccomp comparison", ":3")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\", \"write\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", "$.syscalls[0].names[2] names read a second time", ":2")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 6, \"op\": \"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].index is 6", "p.json")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].value must be a whole number", "p.json")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_Z80\"]}", "$.architectures[0] is not a seccomp architecture", "p.json")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_FAST\"]}", "$.flags[0] is not a seccomp filter flag", "p.json")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": null}]}", "$.archMap and architectures are both given", "p.json")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"four\"}}]}", "$.syscalls[0].includes.minKernel is not a kernel version", "p.json")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"re ad\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", "$.syscalls[0].names[0] is not a syscall name", "p.json")]
    [InlineData("kind: SeccompProfile\nspec:\n  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n  - action: SCMP_ACT_ALOW\n    names: [read]\n", "$.spec.syscalls[0].action is not a seccomp action", ":5")]
    [InlineData("kind: SeccompProfile\nspec:\n  defaultAction: [SCMP_ACT_ERRNO\n", "p.json", "p.json")]
    [InlineData("kind: Pod\nspec:\n  containers: []\n", "$.kind is not SeccompProfile", ":1")]
    public async Task Malformed_profiles_are_refused_with_file_and_path(string content, string expected, string location)
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("p.json", content);
        var error = await Assert.ThrowsAsync<StrataException>(() => new SeccompScanner().ScanAsync(new ScanTarget(TargetKind.SeccompProfile, path, path), new ScanContext(), CancellationToken.None));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(location, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Error, error.ExitCode);
    }
}
