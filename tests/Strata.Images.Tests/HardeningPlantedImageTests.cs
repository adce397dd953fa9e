namespace Strata.Images.Tests;

using Strata.Core.Findings;
using Strata.Images.Tests.Support;
using Strata.Oci;
using Strata.Oci.FileSystem;
using Strata.Oci.Resolution;

/// <summary>
/// The planted image (see HardeningImages.Planted): every problem the IMG rules look for, put in known layers by known
/// build steps. Layer 0 COPY busybox; 1 COPY rootfs/; 2 RUN (links, chmods, a 2 MiB file); 3 RUN (that file overwritten).
/// </summary>
public sealed class HardeningPlantedImageTests(HardeningImagesFixture fixture) : IClassFixture<HardeningImagesFixture>
{
    private ScannedImage Image => fixture.Planted;

    [Fact]
    public void Layers_and_their_build_steps_are_what_the_recipe_says()
    {
        Assert.Equal(4, Image.View.Layers.Count);
        Assert.Contains("COPY", Image.View.Layers[1].CreatedBy, StringComparison.Ordinal);
        Assert.Contains("chmod 4755", Image.View.Layers[2].CreatedBy, StringComparison.Ordinal);
        Assert.Contains("echo small", Image.View.Layers[3].CreatedBy, StringComparison.Ordinal);
    }

    [Fact]
    public void Os_is_reported_and_its_end_of_life_is_high()
    {
        var os = Assert.Single(Image.Of("IMG-001"));
        Assert.Equal(Severity.Info, os.Severity);
        Assert.Contains("Debian GNU/Linux 9 (stretch)", os.Message, StringComparison.Ordinal);

        var eol = Assert.Single(Image.Of("IMG-002"));
        Assert.Equal(Severity.High, eol.Severity);
        Assert.Equal("/etc/os-release", eol.Location.Path);
        Assert.Equal(1, eol.Location.LayerIndex);
        Assert.Equal(Image.View.Layers[1].Descriptor.Digest.ToString(), eol.Location.LayerDigest);
        Assert.Contains("COPY", eol.Location.CreatedBy, StringComparison.Ordinal);
        Assert.Contains("2022-07-01", eol.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Package_count_counts_installed_packages_only()
    {
        var count = Assert.Single(Image.Of("IMG-003"));
        Assert.StartsWith("2 packages installed (dpkg", count.Message, StringComparison.Ordinal);
        Assert.Equal("/var/lib/dpkg/status", count.Location.Path);
    }

    [Fact]
    public void Shells_are_found_with_the_layer_that_added_them()
    {
        var busybox = Image.At("IMG-004", "/bin/busybox");
        Assert.Equal(0, busybox.Location.LayerIndex);
        var sh = Image.At("IMG-004", "/bin/sh");
        Assert.Equal(2, sh.Location.LayerIndex);
        Assert.Contains("ln -s busybox /bin/sh", sh.Location.CreatedBy, StringComparison.Ordinal);
        Assert.Equal("lrwxrwxrwx 0/0 /bin/sh -> busybox", sh.Evidence?.Text);
        Assert.Equal(2, Image.Of("IMG-004").Count);
    }

    [Fact]
    public void Package_manager_build_tools_network_tools_and_sudo_are_named()
    {
        Assert.Equal("/usr/bin/apt-get", Assert.Single(Image.Of("IMG-005")).Location.Path);

        var build = Assert.Single(Image.Of("IMG-006"));
        Assert.Equal(Severity.Medium, build.Severity);
        Assert.Contains("gcc (/usr/bin/gcc)", build.Message, StringComparison.Ordinal);
        Assert.Contains("make (/usr/bin/make)", build.Message, StringComparison.Ordinal);
        Assert.Contains("multi-stage build would leave gcc, make behind", build.Message, StringComparison.Ordinal);

        Assert.Equal(Severity.Low, Image.At("IMG-007", "/usr/bin/curl").Severity);
        var nc = Image.At("IMG-007", "/usr/bin/nc");
        Assert.Equal(Severity.Medium, nc.Severity);
        Assert.Equal(2, nc.Location.LayerIndex);

        var sudo = Image.At("IMG-008", "/usr/bin/sudo");
        Assert.Equal(Severity.Medium, sudo.Severity);
    }

    [Fact]
    public void Setuid_file_points_at_the_chmod_step()
    {
        var setuid = Assert.Single(Image.Of("IMG-009"));
        Assert.Equal("/usr/bin/sudo", setuid.Location.Path);
        Assert.Equal(Severity.Medium, setuid.Severity);
        Assert.Equal(2, setuid.Location.LayerIndex);
        Assert.Equal(Image.View.Layers[2].Descriptor.Digest.ToString(), setuid.Location.LayerDigest);
        Assert.Contains("chmod 4755 /usr/bin/sudo", setuid.Location.CreatedBy, StringComparison.Ordinal);
        Assert.StartsWith("-rwsr-xr-x 0/0", setuid.Evidence?.Text, StringComparison.Ordinal);
        Assert.Contains("setuid", setuid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void World_writable_paths_are_found_and_sticky_tmp_is_not()
    {
        var paths = Image.Of("IMG-010").Select(f => f.Location.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/data/shared", "/etc/app.conf"], paths);
        Assert.Contains("without the sticky bit", Image.At("IMG-010", "/data/shared").Message, StringComparison.Ordinal);
        Assert.Equal(2, Image.At("IMG-010", "/etc/app.conf").Location.LayerIndex);
    }

    [Fact]
    public void Config_checks_find_root_user_no_healthcheck_port_22_and_volume_proc()
    {
        Assert.Equal("$.config.User", Assert.Single(Image.Of("IMG-011")).Location.JsonPath);
        Assert.Single(Image.Of("IMG-012"));
        var port = Assert.Single(Image.Of("IMG-013"));
        Assert.Equal("$.config.ExposedPorts['22/tcp']", port.Location.JsonPath);
        var volume = Assert.Single(Image.Of("IMG-014"));
        Assert.Equal(Severity.High, volume.Severity);
        Assert.Contains("VOLUME /proc", volume.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accounts_with_empty_passwords_and_duplicate_ids_are_found()
    {
        var empty = Assert.Single(Image.Of("IMG-015"));
        Assert.Equal("/etc/shadow", empty.Location.Path);
        Assert.Equal(2, empty.Location.Line);
        Assert.Equal("account toor", empty.Location.Subject);
        Assert.Equal(1, empty.Location.LayerIndex);

        var duplicates = Image.Of("IMG-016");
        var uid = Assert.Single(duplicates, f => f.Location.Subject == "uid 0");
        Assert.Equal(Severity.High, uid.Severity);
        Assert.Equal("/etc/passwd", uid.Location.Path);
        Assert.Contains("root (line 1), toor (line 2)", uid.Message, StringComparison.Ordinal);
        var gid = Assert.Single(duplicates, f => f.Location.Subject == "gid 0");
        Assert.Equal("/etc/group", gid.Location.Path);
        Assert.Equal(Severity.Medium, gid.Severity);
        Assert.Equal(2, duplicates.Count);
    }

    [Fact]
    public void Git_tree_and_apt_lists_are_left_behind()
    {
        var paths = Image.Of("IMG-017").Select(f => f.Location.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/app/.git", "/var/lib/apt/lists"], paths);
        Assert.Contains("2 files", Image.At("IMG-017", "/app/.git").Message, StringComparison.Ordinal);
        Assert.Contains("1 files", Image.At("IMG-017", "/var/lib/apt/lists").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wasted_bytes_name_the_overwritten_file_and_both_layers()
    {
        var wasted = Assert.Single(Image.Of("IMG-018"));
        Assert.Equal("/data/blob.bin", wasted.Location.Path);
        Assert.Equal(2, wasted.Location.LayerIndex);
        Assert.Contains("head -c 2097152", wasted.Location.CreatedBy, StringComparison.Ordinal);
        Assert.Contains("/data/blob.bin (2.0 MiB in layer 2, overwritten in layer 3)", wasted.Message, StringComparison.Ordinal);

        var top = Image.View.Wasted[0];
        Assert.Equal(2097152, top.Bytes);
        Assert.Equal(3, top.HiddenInLayer);

        // The per-file waste adds up to what the layered filesystem counts on its own.
        var image = await ImageResolver.OpenAsync(Image.Reference, ImageOpenOptions.Default, CancellationToken.None);
        await using (image.Source)
        {
            var fileSystem = await LayeredFileSystem.BuildAsync(image, CancellationToken.None);
            Assert.Equal(fileSystem.WastedBytes, Image.View.WastedBytes);
        }
    }

    [Fact]
    public void Every_finding_names_the_target_and_a_location()
    {
        Assert.All(Image.Findings, f =>
        {
            Assert.Equal(Image.Reference, f.Target);
            Assert.False(string.IsNullOrEmpty(f.Location.Describe()));
            Assert.StartsWith("IMG-", f.RuleId, StringComparison.Ordinal);
        });
        var file = Image.Findings.Where(f => f.Location.Path is not null && f.RuleId != "IMG-001").ToList();
        Assert.All(file, f => Assert.NotNull(f.Location.LayerDigest));
    }
}
