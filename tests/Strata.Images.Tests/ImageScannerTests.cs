namespace Strata.Images.Tests;

using System.Collections.Concurrent;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Hardening;
using Strata.Images.Tests.Support;
using Strata.Oci;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;
using Strata.Testing;

public sealed class ImageScannerTests(HardeningImagesFixture fixture) : IClassFixture<HardeningImagesFixture>
{
    [Fact]
    public void Scanner_handles_images_and_root_filesystems_and_lists_its_rules()
    {
        var scanner = new ImageScanner(BuiltInSecrets.Provider);
        Assert.Equal([TargetKind.Image, TargetKind.RootFs], scanner.Kinds.Order());
        Assert.Equal(18, scanner.Rules.Count());
        Assert.Contains(scanner.Rules, r => r.Id == "IMG-018");
    }

    [Fact]
    public async Task An_extra_analyzer_joins_the_single_walk_and_sees_config_texts()
    {
        var analyzer = new RecordingAnalyzer();
        var scanner = new ImageScanner(BuiltInSecrets.Provider, new ImageScannerOptions { Time = FixedTime.FixtureDate, Analyzers = [analyzer] });
        var reference = fixture.Planted.Reference;
        var findings = await scanner.ScanAsync(new ScanTarget(TargetKind.Image, reference, reference), new ScanContext(), CancellationToken.None);

        Assert.Contains(scanner.Rules, r => r.Id == "SEC-TEST-001");
        var recorded = Assert.Single(findings, f => f.RuleId == "SEC-TEST-001");
        Assert.Equal("/etc/shadow", recorded.Location.Path);
        Assert.Equal(1, recorded.Location.LayerIndex);

        // Every layer was visited once, and content came for exactly the file asked for.
        Assert.Equal([0, 1, 2, 3], analyzer.LayersSeen.Order());
        Assert.Equal(["etc/shadow"], analyzer.ContentRead.Keys);
        Assert.Contains("toor::", analyzer.ContentRead["etc/shadow"], StringComparison.Ordinal);
        var subject = analyzer.Subject;
        Assert.NotNull(subject);
        Assert.NotNull(subject.Image);
        Assert.Contains(subject.ConfigTexts, t => t.JsonPath.StartsWith("$.history[", StringComparison.Ordinal) && t.Text.Contains("chmod 4755", StringComparison.Ordinal));
        Assert.Contains(subject.ConfigTexts, t => t.JsonPath == "$.config.Env[0]" && t.Text.StartsWith("PATH=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_open_options_the_scanner_is_built_with_reach_the_image_reader()
    {
        var reference = fixture.Planted.Reference;
        var limited = new ImageScanner(BuiltInSecrets.Provider, new ImageScannerOptions { OpenOptions = new ImageOpenOptions { Limits = new Limits { MaxLayers = 1 } } });
        var error = await Assert.ThrowsAsync<StrataException>(() => limited.ScanAsync(new ScanTarget(TargetKind.Image, reference, reference), new ScanContext(), CancellationToken.None));
        Assert.Contains("more than the 1 allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_image_is_a_bad_input_error_naming_it()
    {
        using var temp = new TempDirectory();
        var reference = "oci:" + temp.Combine("nothing") + ":latest";
        var error = await Assert.ThrowsAsync<StrataException>(() => new ImageScanner(BuiltInSecrets.Provider).ScanAsync(new ScanTarget(TargetKind.Image, reference, reference), new ScanContext(), CancellationToken.None));
        Assert.Contains("nothing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_texts_cover_env_labels_commands_and_history()
    {
        var config = fixture.Planted.View.Config;
        Assert.NotNull(config);
        var texts = ImageScanner.ConfigTexts(config);
        Assert.Contains(texts, t => t.JsonPath == "$.config.Labels['io.buildah.version']");
        Assert.Equal(config.History.Count(h => h.CreatedBy is not null), texts.Count(t => t.JsonPath.EndsWith(".created_by", StringComparison.Ordinal)));
    }

    /// <summary>Stands in for the secret scanner: asks for one file's content and reports it, and records what it saw.</summary>
    private sealed class RecordingAnalyzer : IImageAnalyzer
    {
        private static readonly Rule TestRule = new()
        {
            Id = "SEC-TEST-001",
            Title = "test",
            Severity = Severity.Low,
            Layer = StackLayer.Image,
            Explanation = "test",
            Remediation = "test",
        };

        public ConcurrentBag<int> LayersSeen { get; } = [];

        public ConcurrentDictionary<string, string> ContentRead { get; } = new();

        public ImageSubject? Subject { get; private set; }

        public IEnumerable<Rule> Rules => [TestRule];

        public IImageAnalysis Begin(ImageSubject subject)
        {
            Subject = subject;
            return new Analysis(this);
        }

        private sealed class Analysis(RecordingAnalyzer owner) : IImageAnalysis
        {
            public ILayerEntryVisitor BeginLayer(ImageLayer layer)
            {
                owner.LayersSeen.Add(layer.Index);
                return new Visitor(owner);
            }

            public ILayerEntryVisitor BeginRootFs() => new Visitor(owner);

            public Task<IReadOnlyList<Finding>> CompleteAsync(ImageView view, CancellationToken cancellationToken)
            {
                var shadow = view.Find("/etc/shadow");
                IReadOnlyList<Finding> findings = shadow is null ? [] : [Finding.For(TestRule, view.Target, ImageView.LocationOf(shadow), "seen")];
                return Task.FromResult(findings);
            }
        }

        private sealed class Visitor(RecordingAnalyzer owner) : ILayerEntryVisitor
        {
            public bool WantsContent(LayerEntry entry) => entry.Path == "etc/shadow";

            public async ValueTask VisitAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken)
            {
                if (content is not null)
                {
                    using var reader = new StreamReader(content);
                    owner.ContentRead[entry.Path] = await reader.ReadToEndAsync(cancellationToken);
                }
            }

            public ValueTask EndLayerAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
        }
    }
}

public sealed class EndOfLifeTableTests
{
    [Theory]
    [InlineData("debian", "12", null, null, "12")]
    [InlineData("alpine", "3.19.1", null, null, "3.19")]
    [InlineData("alpine", "3.1", null, null, null)]
    [InlineData("rhel", "9.4", null, null, "9")]
    [InlineData("ubuntu", "22.04", null, null, "22.04")]
    [InlineData("amzn", "2023", null, null, "2023")]
    [InlineData("centos", "8", "CentOS Stream", null, "8")]
    [InlineData("debian", null, null, "bookworm", "12")]
    [InlineData("gentoo", "2.15", null, null, null)]
    public void Releases_are_found_by_the_longest_version_prefix_or_codename(string id, string? version, string? name, string? codename, string? expected)
    {
        var os = new OsRelease(id, version, codename, name, null, null, "/etc/os-release");
        Assert.Equal(expected, EndOfLifeTable.Default.Find(os)?.Version);
    }

    [Fact]
    public void Centos_stream_and_centos_linux_have_different_dates()
    {
        var linux = EndOfLifeTable.Default.Find(new OsRelease("centos", "8", null, "CentOS Linux", null, null, "/etc/os-release"));
        var stream = EndOfLifeTable.Default.Find(new OsRelease("centos", "8", null, "CentOS Stream", null, null, "/etc/os-release"));
        Assert.Equal(new DateOnly(2021, 12, 31), linux?.Eol);
        Assert.Equal(new DateOnly(2024, 5, 31), stream?.Eol);
    }

    [Fact]
    public void Every_required_distribution_is_in_the_table_with_sources()
    {
        var table = EndOfLifeTable.Default;
        foreach (var id in new[] { "debian", "ubuntu", "alpine", "rhel", "rocky", "almalinux", "fedora", "amzn" })
        {
            Assert.Contains(id, table.Distributions);
        }

        var bookworm = table.Find(new OsRelease("debian", "12", null, null, null, null, "/etc/os-release"));
        Assert.NotNull(bookworm);
        Assert.Contains(bookworm.Sources, s => s.StartsWith("https://", StringComparison.Ordinal));
        Assert.True(bookworm.RegularEnd < bookworm.Eol);
    }

    [Theory]
    [InlineData("2025-06-01", null)]
    [InlineData("2026-08-01", "LOW")]
    [InlineData("2028-05-01", "LOW")]
    [InlineData("2028-07-01", "HIGH")]
    public void Eol_severity_follows_the_injected_date(string today, string? expected)
    {
        var time = new FixedTime(DateTimeOffset.Parse(today + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var check = new Hardening.Checks.OsEndOfLife(time, EndOfLifeTable.Default);
        var osRelease = System.Text.Encoding.UTF8.GetBytes("ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        var view = ImageView.FromEntries(
            "image",
            null,
            [
                new Oci.Layers.LayerEntry { Path = "etc", Type = Oci.Layers.EntryType.Directory, RawName = "etc/", Mode = 0x1ED },
                new Oci.Layers.LayerEntry { Path = "etc/os-release", Type = Oci.Layers.EntryType.File, RawName = "etc/os-release", Mode = 0x1A4, Size = osRelease.Length },
            ],
            new Dictionary<string, byte[]> { ["etc/os-release"] = osRelease });
        var finding = check.Evaluate(view, new Core.Checks.CheckContext("image")).SingleOrDefault();
        Assert.Equal(expected, finding?.Severity.ToName());
    }

    [Fact]
    public void Distroless_is_named_as_such_and_uses_debian_dates()
    {
        var os = OsRelease.Parse("PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"12\"\n", "/etc/os-release");
        Assert.True(os.IsDistroless);
        Assert.Equal("Distroless (Debian GNU/Linux 12)", os.Describe());
        Assert.Equal("12", EndOfLifeTable.Default.Find(os)?.Version);
    }
}
