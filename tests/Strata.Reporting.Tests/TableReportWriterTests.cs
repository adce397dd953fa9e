namespace Strata.Reporting.Tests;

using System.Text.RegularExpressions;
using Strata.Core.Findings;
using Strata.Core.Targets;
using Strata.Reporting.Scan;

public sealed class TableReportWriterTests
{
    private static readonly string[] Syscalls =
    [
        "acct", "add_key", "bpf", "chroot", "clock_settime", "delete_module", "finit_module", "init_module", "ioperm",
        "iopl", "kcmp", "kexec_load", "keyctl", "lookup_dcookie", "mount", "move_pages", "open_by_handle_at", "perf_event_open",
    ];

    private static readonly ScanTarget Profile = new(TargetKind.SeccompProfile, "deploy/seccomp/profile.json", "deploy/seccomp/profile.json");

    private static readonly ScanTarget Image = new(TargetKind.Image, "oci:/var/lib/images/a-rather-long-layout-directory-name:v1.2.3-with-a-long-tag", "oci:/var/lib/images/a-rather-long-layout-directory-name:v1.2.3-with-a-long-tag");

    /// <summary>What real input brings: many findings on one line, long IDs and paths, tabs, escapes and newlines in evidence.</summary>
    private static ScanDocument Busy()
    {
        var findings = new List<Finding>();
        foreach (var syscall in Syscalls)
        {
            findings.Add(Reports.Finding("SCP-002", Profile.Name, new Location { File = Profile.Name, Line = 7, JsonPath = "$.syscalls[0]", Subject = syscall }, $"{syscall} is allowed."));
        }

        findings.Add(Reports.Finding("SCP-001", Profile.Name, new Location { File = Profile.Name, Line = 2, JsonPath = "$.defaultAction" }, "defaultAction is SCMP_ACT_ALLOW.", evidence: Evidence.Plain("\"defaultAction\":\t\"SCMP_ACT_ALLOW\"")));
        findings.Add(Reports.Finding(
            "SEC-1PASSWORD-SERVICE-ACCOUNT-TOKEN",
            Image.Name,
            new Location { Path = "usr/share/some/deeply/nested/directory/structure/with/a/config-file-name.conf", LayerIndex = 3, LayerDigest = "sha256:" + new string('a', 64), Line = 12, Column = 5 },
            "A 1Password service account token in a file that a later image layer deleted.",
            Severity.Critical,
            StackLayer.Image,
            Evidence.Secret("ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSJ9")));
        findings.Add(Reports.Finding(
            "DKF-007",
            "Dockerfile",
            new Location { File = "Dockerfile", Line = 3, Subject = "stage 0 RUN[1]" },
            "The output of curl is piped to sh,\twhich runs it unverified.",
            layer: StackLayer.Image,
            evidence: Evidence.Plain("RUN\tapt-get update \\\n\t&& curl -fsSL https://example.com/install.sh | sh \u001b[31mred\u001b[0m \u202eevil")));
        return Reports.Document([Profile, Image, new ScanTarget(TargetKind.Dockerfile, "Dockerfile", "Dockerfile")], findings, "an expired ignore entry\tfor SCP-001");
    }

    [Theory]
    [InlineData(40)]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(132)]
    public async Task Every_line_fits_the_width(int width)
    {
        var text = await Reports.WriteAsync(new TableReportWriter(new ReportSettings { Width = width }), Busy());
        var lines = text.Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => l.Length == width);
    }

    [Fact]
    public async Task Findings_that_differ_only_in_their_subject_are_one_row_listing_the_subjects()
    {
        var text = await Reports.WriteAsync(new TableReportWriter(new ReportSettings { Width = 400 }), Busy());
        var rows = text.Split('\n').Where(l => l.Contains("│ SCP-002", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Matches(@"│ SCP-002 +│ HIGH +│ +18 │ Title of SCP-002", rows[0]);
        Assert.Contains($"Title of SCP-002 (18 findings): {string.Join(", ", Syscalls)}", rows[1], StringComparison.Ordinal);
        Assert.DoesNotContain("acct is allowed", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_characters_from_the_input_never_reach_the_terminal()
    {
        var text = await Reports.WriteAsync(new TableReportWriter(new ReportSettings { Width = 400 }), Busy());
        Assert.DoesNotContain('\t', text);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u202e', text);
        Assert.Contains("evidence: RUN apt-get update \\ && curl -fsSL https://example.com/install.sh | sh \\x1b[31mred\\x1b[0m \\u202eevil", text, StringComparison.Ordinal);
        Assert.Contains("warning: an expired ignore entry for SCP-001", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_is_cut_and_secrets_stay_redacted()
    {
        var longEvidence = Reports.Finding("DKF-007", "Dockerfile", new Location { File = "Dockerfile", Line = 1 }, "m", evidence: Evidence.Plain("RUN " + new string('x', 400)));
        var text = await Reports.WriteAsync(new TableReportWriter(new ReportSettings { Width = 400 }), Reports.Document([new ScanTarget(TargetKind.Dockerfile, "Dockerfile", "Dockerfile")], [longEvidence]));
        Assert.Contains("evidence: RUN " + new string('x', 95) + "…", text, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 97), text, StringComparison.Ordinal);

        var busy = await Reports.WriteAsync(new TableReportWriter(new ReportSettings { Width = 80 }), Busy());
        Assert.DoesNotContain("eyJzaWdu", busy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opens_with_a_summary_per_target_and_per_rule_and_names_each_location_once()
    {
        var text = await Reports.WriteAsync(new TableReportWriter(new ReportSettings { Width = 400 }), Busy());
        var lines = text.Split('\n');
        Assert.Contains("Targets", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => Regex.IsMatch(l, "│ deploy/seccomp/profile.json +│ seccomp +│ 19 findings: 19 high"));
        Assert.Contains(lines, l => Regex.IsMatch(l, "│ Dockerfile +│ dockerfile +│ 1 finding: 1 high"));
        var rules = lines.SkipWhile(l => !l.Contains("Rules", StringComparison.Ordinal)).TakeWhile(l => !l.StartsWith('─')).ToList();
        Assert.Contains(rules, l => Regex.IsMatch(l, "│ SEC-1PASSWORD-SERVICE-ACCOUNT-TOKEN │ CRITICAL +│ +1 │"));
        Assert.True(text.IndexOf("Rules", StringComparison.Ordinal) < text.IndexOf("Layer: image", StringComparison.Ordinal));

        // A file that is the target is named once; a path inside a target follows the target's name.
        var dockerfile = Assert.Single(lines, l => l.Contains("│ DKF-007 ", StringComparison.Ordinal) && !l.Contains("Title", StringComparison.Ordinal));
        Assert.Equal(2, dockerfile.Split("Dockerfile").Length);
        var secret = lines.SkipWhile(l => !l.Contains("│ SEC-1PASSWORD-SERVICE-ACCOUNT-TOKEN │ oci:", StringComparison.Ordinal)).Take(2).ToList();
        Assert.Contains("usr/share/some/deeply/nested/directory/structure/with/a/config-file-name.conf (image layer 3)", secret[1], StringComparison.Ordinal);
        Assert.Contains("Total: 21 findings (1 critical, 20 high, 0 medium, 0 low, 0 info); 0 suppressed; 1 warning (below).", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_scan_report_writer_stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        IReportWriter<ScanDocument>[] writers = [new TableReportWriter(new ReportSettings()), new JsonReportWriter(), new SarifReportWriter("/")];
        foreach (var writer in writers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync(Busy(), Stream.Null, cancelled.Token));
        }
    }

    [Fact]
    public async Task A_table_cancelled_while_it_is_written_stops_short_of_the_end()
    {
        var whole = await Reports.WriteAsync(new TableReportWriter(new ReportSettings()), Busy());
        using var cancellation = new CancellationTokenSource();
        using var output = new CancelOnWrite(cancellation.Cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TableReportWriter(new ReportSettings()).WriteAsync(Busy(), output, cancellation.Token));
        Assert.InRange(output.Length, 1, System.Text.Encoding.UTF8.GetByteCount(whole) - 1);
    }

    /// <summary>A stream that runs an action on every write: the first table reaching it cancels the report.</summary>
    private sealed class CancelOnWrite(Action onWrite) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            onWrite();
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            onWrite();
            base.Write(buffer);
        }
    }
}
