namespace Strata.Kernel.Tests;

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Kernel.Capabilities;
using Strata.Testing;

/// <summary>The capability catalog against the kernel's own header and libcap's capsh, and process sets read from real processes.</summary>
public sealed partial class CapabilityTests
{
    [Fact]
    public void The_catalog_numbers_every_capability_as_the_kernel_header_does()
    {
        // linux-libc-dev's copy of include/uapi/linux/capability.h: "#define CAP_SYS_ADMIN 21".
        var header = File.ReadAllText("/usr/include/linux/capability.h");
        var defined = HeaderDefine().Matches(header).ToDictionary(m => m.Groups["name"].Value, m => int.Parse(m.Groups["number"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(CapabilityCatalog.LastKnown, defined.Values.Max());
        Assert.Equal(defined.Count, CapabilityCatalog.All.Count);
        foreach (var info in CapabilityCatalog.All)
        {
            Assert.Equal(defined[info.Name], info.Number);
            Assert.False(string.IsNullOrWhiteSpace(info.Grants));
            Assert.Matches(@"^\d+\.\d+(\.\d+)?$", info.Since);
        }
    }

    [Fact]
    public async Task Every_single_bit_decodes_to_the_name_capsh_gives()
    {
        for (var number = 0; number <= CapabilityCatalog.LastKnown; number++)
        {
            var mask = new CapabilitySet(1UL << number);
            var capsh = await ExternalTool.RunCheckedAsync("capsh", $"--decode={mask.ToHex()}");

            // capsh prints "0x0000000000200000=cap_sys_admin".
            Assert.Equal(mask.Names.Single().ToLowerInvariant(), capsh.Trim().Split('=')[1]);
        }
    }

    [Fact]
    public void The_docker_default_is_the_mask_a_docker_container_shows()
    {
        // CapBnd of a root process in a default Docker container.
        Assert.Equal("00000000a80425fb", CapabilityCatalog.DefaultOf("docker")!.Capabilities.ToHex());
        Assert.Equal(CapabilityCatalog.DefaultOf("docker")!.Capabilities, CapabilityCatalog.DefaultOf("containerd")!.Capabilities);
        Assert.Equal(9, CapabilityCatalog.DefaultOf("crio")!.Capabilities.Count);
        Assert.Equal(11, CapabilityCatalog.DefaultOf("podman")!.Capabilities.Count);
        Assert.Null(CapabilityCatalog.DefaultOf("lxd"));
    }

    [Fact]
    public async Task The_runc_default_is_what_runc_spec_writes()
    {
        var directory = Directory.CreateTempSubdirectory("strata-runc-spec-");
        try
        {
            await ExternalTool.RunCheckedAsync("runc", "spec", "--bundle", directory.FullName);
            using var spec = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory.FullName, "config.json")));
            var capabilities = spec.RootElement.GetProperty("process").GetProperty("capabilities");
            foreach (var set in new[] { "bounding", "effective", "permitted" })
            {
                var names = string.Join(',', capabilities.GetProperty(set).EnumerateArray().Select(e => e.GetString()));
                Assert.Equal(CapabilityCatalog.DefaultOf("runc")!.Capabilities, CapabilitySet.ParseNames(names));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("CAP_SYS_ADMIN", "0000000000200000")]
    [InlineData("sys_admin, net_raw", "0000000000202000")]
    [InlineData("ALL", "000001ffffffffff")]
    [InlineData("21 chown", "0000000000200001")]
    public void Names_parse_in_every_spelling(string names, string hex)
    {
        Assert.Equal(hex, CapabilitySet.ParseNames(names).ToHex());
    }

    [Theory]
    [InlineData("0x")]
    [InlineData("not-hex")]
    [InlineData("11111111111111111")]
    public void A_bad_mask_is_refused_with_its_text(string text)
    {
        var error = Assert.Throws<StrataException>(() => CapabilitySet.ParseHex(text));
        Assert.Contains("not a hexadecimal capability mask", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_name_is_refused()
    {
        var error = Assert.Throws<StrataException>(() => CapabilitySet.ParseNames("CHOWN,CAP_FLY"));
        Assert.Contains("'CAP_FLY' is not a Linux capability", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bits_beyond_the_catalog_are_kept_and_named_by_number()
    {
        var set = CapabilitySet.ParseHex("8000000000000001");
        Assert.Equal(["CAP_CHOWN", "CAP_63"], set.Names);
    }

    [Fact]
    public void An_assessment_names_additions_escapes_and_privilege()
    {
        var docker = CapabilityCatalog.DefaultOf("docker")!;
        var withAdmin = CapabilityAssessment.Of(docker.Capabilities.Union(CapabilitySet.ParseNames("SYS_ADMIN,NET_ADMIN")), docker);
        Assert.Equal(["CAP_NET_ADMIN", "CAP_SYS_ADMIN"], withAdmin.Added.Names);
        Assert.Equal(["CAP_NET_ADMIN", "CAP_SYS_ADMIN"], withAdmin.DangerousAdditions.Select(c => c.Name));
        Assert.Equal("CAP_SYS_ADMIN", Assert.Single(withAdmin.EscapeCapable).Name);
        Assert.False(withAdmin.PrivilegedEquivalent);
        Assert.Equal(Severity.Critical, withAdmin.Risk);

        var privileged = CapabilityAssessment.Of(CapabilitySet.AllKnown, docker);
        Assert.True(privileged.PrivilegedEquivalent);

        // On a kernel whose last capability is 37 (before 5.8), the 38 capabilities it has are all of them.
        Assert.True(CapabilityAssessment.Of(new CapabilitySet((1UL << 38) - 1), docker, lastCap: 37).PrivilegedEquivalent);

        var reduced = CapabilityAssessment.Of(CapabilitySet.ParseNames("NET_BIND_SERVICE"), docker);
        Assert.True(reduced.Added.IsEmpty);
        Assert.Equal(13, reduced.Dropped.Count);
        Assert.Equal(Severity.Info, reduced.Risk);
    }

    [Fact]
    public async Task The_sets_of_a_real_process_are_read_from_proc()
    {
        // setpriv (util-linux) starts a process with a bounding set of two capabilities and an empty inheritable set.
        using var child = Process.Start(new ProcessStartInfo("setpriv", ["--inh-caps=-all", "--bounding-set=-all,+chown,+net_bind_service", "sleep", "30"]) { RedirectStandardError = true })!;
        try
        {
            ProcessCapabilities? read = null;
            for (var attempt = 0; attempt < 100; attempt++)
            {
                read = ProcessCapabilities.Read(child.Id.ToString(CultureInfo.InvariantCulture));
                if (read.Bounding.Count == 2)
                {
                    break;
                }

                // Until setpriv has applied the settings and executed sleep, the sets are its parent's.
                await Task.Delay(50);
            }

            Assert.Equal(["CAP_CHOWN", "CAP_NET_BIND_SERVICE"], read!.Bounding.Names);
            Assert.True(read.Inheritable.IsEmpty);
            Assert.True(read.Ambient.IsEmpty);
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
        }
    }

    [Fact]
    public void A_status_text_without_capability_lines_is_refused_with_its_source()
    {
        var error = Assert.Throws<StrataException>(() => ProcessCapabilities.Parse("Name:\tsleep\nPid:\t1\n", "/x/proc/1/status"));
        Assert.StartsWith("/x/proc/1/status: no CapInh, CapPrm, CapEff, CapBnd line", error.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<StrataException>(() => ProcessCapabilities.Parse("CapInh:\t0\nCapPrm:\tzz\nCapEff:\t0\nCapBnd:\t0\n", "s"));
        Assert.StartsWith("s:2: CapPrm:", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_process_is_a_clear_error()
    {
        var error = Assert.Throws<StrataException>(() => ProcessCapabilities.Read("2147483646"));
        Assert.EndsWith("no such process.", error.Message, StringComparison.Ordinal);
        Assert.Throws<StrataException>(() => ProcessCapabilities.Read("../1"));
    }

    [GeneratedRegex(@"^#define\s+(?<name>CAP_[A-Z_]+)\s+(?<number>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex HeaderDefine();
}
