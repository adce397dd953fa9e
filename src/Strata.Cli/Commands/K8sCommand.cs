namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kubernetes.Live;
using Strata.Oci;
using Strata.Reporting;

/// <summary><c>strata k8s</c>: Kubernetes beyond manifest files; <c>k8s scan</c> scans a live cluster.</summary>
internal static class K8sCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var command = new Command("k8s", "Kubernetes: scan a live cluster, or give each object the Pod Security Admission verdict (manifest files are also scanned by `strata scan`).");
        command.Subcommands.Add(CreateScan(shared, io));
        command.Subcommands.Add(K8sPssCommand.Create(shared, io));
        return command;
    }

    private static Command CreateScan(SharedOptions shared, CliIo io)
    {
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            HelpName = "file",
            Description = "The kubeconfig to use; default: the files of KUBECONFIG, else ~/.kube/config, else (in a pod) the pod's service account.",
        };
        var context = new Option<string?>("--context")
        {
            HelpName = "name",
            Description = "The kubeconfig context to use instead of its current context; the report names the cluster cluster:<context>.",
        };
        var namespaces = new Option<string[]>("--namespace", "-n")
        {
            HelpName = "ns",
            Description = "Scan only this namespace (repeatable, or comma-separated); default: all. Cluster-scoped objects (ClusterRoles, ClusterRoleBindings) are always listed.",
            AllowMultipleArgumentsPerToken = false,
        };
        var includeSecrets = new Option<bool>("--include-secrets")
        {
            Description = "Read the values of Secrets too, for the secret rules (findings show them redacted); default: only their names, labels and type.",
        };
        var requestTimeout = new Option<int>("--request-timeout")
        {
            HelpName = "seconds",
            Description = "Give up when the API server does not answer a request within this many seconds.",
            DefaultValueFactory = _ => 30,
        };
        requestTimeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError("--request-timeout: expected a number of seconds above 0.");
            }
        });

        var reportOptions = new ReportOptions<ScanDocument>(ReportWriterFactory.ForScan(io.ReportSettings), shared);
        var command = new Command(
            "scan",
            "List a live cluster's objects (namespaces with their Pod Security labels, workloads, pods, RBAC, service accounts, NetworkPolicies, Services, Ingresses, ConfigMaps, Secrets' metadata) through its API server and scan them as `strata scan` scans manifests. Objects a listed controller owns (a Deployment's ReplicaSets and Pods) are left out, so each workload is reported once; lists the credentials may not read are reported and skipped.")
        {
            kubeconfig, context, namespaces, includeSecrets, requestTimeout,
        };
        reportOptions.AddTo(command);
        SharedOptions.Add(command, shared.Severity, shared.FailOn, shared.IgnoreFile, shared.Limits, shared.Quiet, shared.NoProgress, shared.Debug);
        command.SetAction((parse, cancellationToken) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            var listing = new ClusterSnapshotOptions
            {
                Namespaces = [.. (parse.GetValue(namespaces) ?? []).SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)],
                IncludeSecrets = parse.GetValue(includeSecrets),
            };
            using var connection = ClusterConnection.Open(parse.GetValue(kubeconfig), parse.GetValue(context), TimeSpan.FromSeconds(parse.GetValue(requestTimeout)));
            return await ScanClusterAsync(parse, shared, reportOptions, io, connection, listing, cancellationToken);
        }));
        return command;
    }

    /// <summary>
    /// Lists the cluster into a temporary file (owner-only, deleted afterwards), scans it as the Kubernetes manifest
    /// target <c>cluster:CONTEXT</c>, and reports as <c>strata scan</c> does; the report never shows the file.
    /// </summary>
    private static async Task<int> ScanClusterAsync(ParseResult parse, SharedOptions shared, ReportOptions<ScanDocument> reportOptions, CliIo io, ClusterConnection connection, ClusterSnapshotOptions listing, CancellationToken cancellationToken)
    {
        var limits = parse.GetValue(shared.Limits) ?? Limits.Default;
        var name = $"cluster:{connection.ContextName}";
        var problems = new List<string>();
        var path = Path.Combine(Path.GetTempPath(), $"strata-cluster-{Environment.ProcessId}-{Guid.NewGuid():N}.yaml");
        try
        {
            ClusterSnapshotResult listed;
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var file = new FileStream(path, options))
            {
                listed = await ClusterSnapshot.WriteAsync(connection, listing with { MaxResponseBytes = limits.MaxDocumentBytes }, file, problems.Add, cancellationToken);
            }

            if (!parse.GetValue(shared.Quiet))
            {
                await io.Error.WriteLineAsync($"strata: {StrataCli.Safe(name)}: {listed.Objects} objects listed from {connection.Server}{(listed.OwnedSkipped > 0 ? $", {listed.OwnedSkipped} more left out as owned by a listed controller" : string.Empty)}.");
            }

            // The stream is Strata's own, already bounded page by page: the per-file bounds of manifests do not apply to it whole.
            var size = new FileInfo(path).Length;
            var run = new ScanRun
            {
                ImageOpenOptions = ImageOpenOptions.Default with
                {
                    Limits = limits with
                    {
                        MaxDocumentBytes = Math.Max(limits.MaxDocumentBytes, size),
                        MaxDocumentsPerFile = Math.Max(limits.MaxDocumentsPerFile, listed.Objects + 1),
                    },
                },
                Adjust = report => AsCluster(report, name, path, listed, problems),
            };
            return await ScanCommand.ScanAndReportAsync(parse, shared, reportOptions, io, [new ScanTarget(TargetKind.KubernetesManifest, name, path)], run, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The report as the cluster's: a line of the temporary stream means nothing to the user, so a finding names the
    /// object on that line instead (its subject, and in its message); the temporary path is named as the cluster; what
    /// could not be listed is a warning.
    /// </summary>
    private static ScanReport AsCluster(ScanReport report, string name, string path, ClusterSnapshotResult listed, List<string> problems)
    {
        string Named(string text) => text.Replace(path, name, StringComparison.Ordinal);
        var lineInMessage = new Regex(Regex.Escape(name) + @":(\d+)(?::\d+)?", RegexOptions.CultureInvariant);
        Finding AsObject(Finding finding)
        {
            if (finding.Target != name)
            {
                return finding;
            }

            var location = finding.Location;
            var subject = location.Subject ?? (location.Line is int line ? listed.ObjectAt(line) : null);
            var message = lineInMessage.Replace(finding.Message, m => listed.ObjectAt(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) is { } named ? $"{name} {named}" : name);
            return finding with { Message = message, Location = location with { Line = null, Column = null, Subject = subject } };
        }

        return report with
        {
            Findings = ScanReport.Order(report.Findings.Select(AsObject)),
            Targets = [.. report.Targets.Select(t => t with { Target = t.Target with { Locator = name }, Error = t.Error is null ? null : Named(t.Error) })],
            Warnings = [.. problems.Select(p => $"{name}: {p}"), .. report.Warnings.Select(Named)],
        };
    }
}
