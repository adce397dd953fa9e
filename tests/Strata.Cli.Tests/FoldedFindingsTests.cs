namespace Strata.Cli.Tests;

using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Testing;

/// <summary>
/// Memory and output grow with the input, never with the findings (issue 8, defect 5): at most findings-per-rule
/// findings of a rule per target are listed, the rest folded into one summary finding that every format shows the
/// same way; manifests are read one document and one List item at a time. The hostile inputs of the campaign run in
/// a child process whose peak resident memory is measured.
/// </summary>
public sealed class FoldedFindingsTests : IDisposable
{
    /// <summary>Far above what these scans need (about 350 MB at most), far below what they took before (1.7 to 5.6 GB).</summary>
    private const long MaxResidentBytes = 600L << 20;

    private const long MaxReportBytes = 2L << 20;

    private static readonly string Strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");

    // Runs the command, sends its stdout to a file, and prints the largest resident set it reached, in KiB.
    private const string PeakMemory = "import resource, subprocess, sys\n"
        + "with open(sys.argv[1], 'wb') as out:\n"
        + "    code = subprocess.run(sys.argv[2:], stdout=out).returncode\n"
        + "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        + "sys.exit(code)\n";

    private readonly TempDirectory temp = new("strata-folded");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Findings_past_the_cap_are_one_summary_per_rule_shown_alike_in_every_format()
    {
        var pod = temp.WriteFile("pod.yaml", Pod(250));
        var json = await CliRunner.RunAsync("scan", "k8s:" + pod, "--format", "json", "--no-progress");
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.StdOut);
        var root = document.RootElement;
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        var summaries = findings.Where(f => f.TryGetProperty("folded", out _)).ToList();
        Assert.Equal(["PSS-003", "PSS-004", "PSS-015", "PSS-017"], summaries.Select(f => f.GetProperty("ruleId").GetString()).Order());
        Assert.All(summaries, s =>
        {
            Assert.Equal(150, s.GetProperty("folded").GetInt64());
            Assert.Equal("(more findings)", s.GetProperty("location").GetProperty("subject").GetString());
            Assert.StartsWith($"and 150 more {s.GetProperty("ruleId").GetString()} findings in k8s:{pod}, not listed one by one", s.GetProperty("message").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(100, findings.Count(f => f.GetProperty("ruleId").GetString() == "PSS-003" && !f.TryGetProperty("folded", out _)));
        Assert.Equal(600, root.GetProperty("summary").GetProperty("folded").GetInt64());
        Assert.Equal(findings.Count, root.GetProperty("summary").GetProperty("MEDIUM").GetInt32() + root.GetProperty("summary").GetProperty("LOW").GetInt32() + root.GetProperty("summary").GetProperty("HIGH").GetInt32());
        var target = Assert.Single(root.GetProperty("targets").EnumerateArray().ToList());
        Assert.Equal(findings.Count, target.GetProperty("findings").GetInt32());
        Assert.Equal(600, target.GetProperty("folded").GetInt64());
        var warning = Assert.Single(root.GetProperty("warnings").EnumerateArray().ToList()).GetString();
        Assert.Equal($"k8s:{pod}: 600 more findings are folded into 4 summary findings: at most 100 per rule and target are listed (--limits findings-per-rule=N lists more).", warning);
        Assert.Empty(SchemaValidator.ValidateStrataReport(json.StdOut));

        var sarif = await CliRunner.RunAsync("scan", "k8s:" + pod, "--format", "sarif", "--no-progress");
        Assert.Empty(SchemaValidator.ValidateSarif(sarif.StdOut));
        using var sarifDocument = JsonDocument.Parse(sarif.StdOut);
        var run = sarifDocument.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(findings.Count, results.Count);
        Assert.Equal(600, results.Sum(r => r.GetProperty("properties").TryGetProperty("folded", out var n) ? n.GetInt64() : 0));
        Assert.Contains(run.GetProperty("invocations")[0].GetProperty("toolExecutionNotifications").EnumerateArray(), n => n.GetProperty("message").GetProperty("text").GetString() == warning);

        var table = await CliRunner.RunAsync(["scan", "k8s:" + pod, "--no-progress"], width: 400);
        Assert.Contains($"Total: {findings.Count} findings (", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("; 600 more folded into 4 summary findings; 0 suppressed; 1 warning", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("101 (+150 folded)", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("(and 600 more, folded)", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("and 150 more PSS-003 findings", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("warning: " + warning, table.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raising_findings_per_rule_lists_them_all()
    {
        var pod = temp.WriteFile("pod.yaml", Pod(250));
        var result = await CliRunner.RunAsync("scan", "k8s:" + pod, "--format", "json", "--no-progress", "--limits", "findings-per-rule=250");
        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.StdOut);
        Assert.Equal(0, document.RootElement.GetProperty("summary").GetProperty("folded").GetInt64());
        Assert.Equal(250, document.RootElement.GetProperty("findings").EnumerateArray().Count(f => f.GetProperty("ruleId").GetString() == "PSS-003"));
        Assert.Empty(document.RootElement.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task A_pod_with_a_million_empty_containers_is_refused_by_the_node_limit_with_flat_memory()
    {
        var pod = temp.WriteFile("pod.yaml", MillionContainerPod());
        var (exit, peak, report, stderr) = await RunMeasuredAsync(["scan", "k8s:" + pod, "--format", "json", "--no-progress"]);
        Assert.Equal(3, exit);
        Assert.Contains($"{pod}:6: more than 1000000 YAML nodes in one document (limit document-nodes; raise it with --limits document-nodes=N).", stderr, StringComparison.Ordinal);
        Assert.True(report < MaxReportBytes, $"a {report}-byte report");
        Assert.True(peak < MaxResidentBytes, $"peak resident memory {peak >> 20} MiB");
    }

    [Fact]
    public async Task A_pod_with_a_million_empty_containers_scanned_anyway_has_bounded_messages_and_flat_memory()
    {
        var pod = temp.WriteFile("pod.yaml", MillionContainerPod());
        var (exit, peak, report, stderr) = await RunMeasuredAsync(["scan", "k8s:" + pod, "--format", "json", "--no-progress", "--limits", "document-nodes=2M"]);
        Assert.True(exit == 0, stderr);
        Assert.True(report < MaxReportBytes, $"a {report}-byte report");
        Assert.True(peak < MaxResidentBytes, $"peak resident memory {peak >> 20} MiB");
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(temp.Combine("report")));
        Assert.Contains(document.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "PSS-003" && f.GetProperty("message").GetString()!.Contains("\" and 999,900 more must set securityContext.allowPrivilegeEscalation=false", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("table")]
    public async Task A_list_of_100000_pods_is_read_one_item_at_a_time_with_flat_memory(string format)
    {
        var list = temp.WriteFile("pods.json", PodList(100_000));
        Assert.True(new FileInfo(list).Length > 12_000_000);
        var (exit, peak, report, stderr) = await RunMeasuredAsync(["scan", "k8s:" + list, "--format", format, "--no-progress"]);
        Assert.True(exit == 0, stderr);
        Assert.True(report < MaxReportBytes, $"a {report}-byte report");
        Assert.True(peak < MaxResidentBytes, $"peak resident memory {peak >> 20} MiB");
        var text = await File.ReadAllTextAsync(temp.Combine("report"));
        // 99,900 folded of each of PSS-003, PSS-004, PSS-015, PSS-017, K8S-001 to K8S-003, K8S-008 and K8S-009.
        Assert.Contains(format == "json" ? "\"folded\": 899100" : "899,100 more folded into 9 summary findings", text, StringComparison.Ordinal);
    }

    /// <summary>Runs strata in a child process: exit code, peak resident bytes, report bytes, stderr.</summary>
    private async Task<(int Exit, long PeakBytes, long ReportBytes, string StdErr)> RunMeasuredAsync(string[] arguments)
    {
        var report = temp.Combine("report");
        var result = await ExternalTool.RunAsync("python3", ["-c", PeakMemory, report, "dotnet", Strata, .. arguments], timeout: TimeSpan.FromMinutes(3), environment: new Dictionary<string, string> { ["COLUMNS"] = "400" });
        var peakKiB = long.Parse(result.StdOut.Trim(), CultureInfo.InvariantCulture);
        return (result.ExitCode, peakKiB << 10, new FileInfo(report).Length, result.StdErr);
    }

    /// <summary>Pods of one container each: each Pod Security check a pod fails is one finding of that pod (PSA's aggregated words).</summary>
    private static string Pod(int pods)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pods; i++)
        {
            // Hardened for the K8S- checks (own service account, no token, read-only root, resources): only PSS checks fire.
            text.Append(CultureInfo.InvariantCulture, $"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  serviceAccountName: app\n  automountServiceAccountToken: false\n  containers:\n  - name: c\n    image: registry.example.com/app@sha256:{new string('a', 64)}\n")
                .Append("    securityContext: {readOnlyRootFilesystem: true}\n    resources: {limits: {cpu: 100m, memory: 64Mi}, requests: {cpu: 100m, memory: 64Mi}}\n");
        }

        return text.ToString();
    }

    /// <summary>The campaign's 3 MB Pod: a million containers that are empty mappings.</summary>
    private static string MillionContainerPod() =>
        new StringBuilder("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [")
            .AppendJoin(',', Enumerable.Repeat("{}", 1_000_000))
            .Append("]\n")
            .ToString();

    /// <summary>A List as kubectl writes it: items before kind.</summary>
    private static string PodList(int pods)
    {
        var text = new StringBuilder("{\"apiVersion\":\"v1\",\"items\":[");
        for (var i = 0; i < pods; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"{{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{{\"name\":\"pod-{i:D6}\",\"namespace\":\"default\"}},\"spec\":{{\"containers\":[{{\"name\":\"app\",\"image\":\"nginx\"}}]}}}}");
        }

        return text.Append("],\"kind\":\"List\",\"metadata\":{}}\n").ToString();
    }
}
