namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Kubernetes;
using Strata.Kubernetes.PodSecurity;
using YamlDotNet.RepresentationModel;

/// <summary>
/// <c>strata k8s pss FILE… [--level L] [--version V] [--format text|json]</c>: Pod Security Admission's verdict on each
/// pod and workload of the manifests, in its own words; exit code 1 when any is denied.
/// </summary>
internal static class K8sPssCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(io);
        var files = new Argument<string[]>("files") { Description = "Kubernetes manifests (YAML or JSON, multi-document, List kinds); - reads stdin.", Arity = ArgumentArity.OneOrMore };
        var level = new Option<string>("--level") { HelpName = "level", Description = "The Pod Security Standards level: privileged, baseline or restricted.", DefaultValueFactory = _ => "restricted" };
        level.AcceptOnlyFromAmong("privileged", "baseline", "restricted");
        var version = new Option<string>("--version") { HelpName = "v1.N|latest", Description = "The Pod Security Standards version: v1.0 to the newest, or latest.", DefaultValueFactory = _ => "latest" };
        version.Validators.Add(result =>
        {
            if (!PodSecurityVersion.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError($"--version '{Redaction.Quote(result.GetValueOrDefault<string>() ?? string.Empty, 40)}': expected latest or v1.N (e.g. v1.30).");
            }
        });
        var format = new Option<string>("--format", "-f") { HelpName = "text|json", Description = "Output format: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("pss", "Evaluate pods and workloads against the Pod Security Standards as Pod Security Admission does: the verdict per object with PSA's message. A Namespace of the input labelled pod-security.kubernetes.io/enforce (and -version) sets the policy of its pods, and its audit and warn labels are reported too; --level and --version apply elsewhere. Exit code 1 when any object is denied.")
        {
            files, level, version, format,
        };
        SharedOptions.Add(command, shared.Limits, shared.Debug);
        command.SetAction((parse, cancellationToken) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            if (!PodSecurityPolicy.TryParse(parse.GetValue(level), parse.GetValue(version), out var policy, out var error))
            {
                throw StrataException.Usage(error);
            }

            var limits = parse.GetValue(shared.Limits) ?? Limits.Default;
            var json = parse.GetValue(format) == "json";
            var denied = await WriteAsync(parse.GetValue(files) ?? [], policy, limits, json, io, cancellationToken);
            return denied ? (int)ExitCode.Findings : (int)ExitCode.Clean;
        }));
        return command;
    }

    /// <summary>
    /// Writes the verdict on every pod spec of <paramref name="paths"/> as it is read, so memory stays flat in the number
    /// of objects; true when any is denied.
    /// </summary>
    internal static async Task<bool> WriteAsync(IReadOnlyList<string> paths, PodSecurityPolicy policy, Limits limits, bool json, CliIo io, CancellationToken cancellationToken)
    {
        var denied = false;
        await using var writer = new Utf8JsonWriter(io.Out, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        if (json)
        {
            writer.WriteStartArray();
        }

        foreach (var path in paths)
        {
            var file = path == "-" ? "(stdin)" : path;
            var text = BoundedFile.ReadAllText(path, limits.MaxDocumentBytes, allowStandardInput: true, limitKey: BoundedFile.DocumentBytesKey);
            var namespaces = PodSecurityNamespaces.Collect(text, file, limits, policy);
            foreach (var labelError in namespaces.Errors)
            {
                await io.Error.WriteLineAsync($"warning: {file}: {StrataCli.Safe(labelError)}");
            }

            var line = new StringBuilder();
            YamlSource.Read(text, file, limits, "items", unit =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var pod in PodSpecView.FromObject(file, unit.Node))
                {
                    var verdict = Verdict.Of(pod, namespaces.For(pod.Namespace), unit.Node);
                    denied |= !verdict.Enforce.Allowed;
                    if (json)
                    {
                        verdict.WriteJson(writer);
                        writer.Flush();
                    }
                    else
                    {
                        verdict.WriteText(line.Clear());
                        io.Out.Write(Encoding.UTF8.GetBytes(line.ToString()));
                    }
                }
            });
        }

        if (json)
        {
            writer.WriteEndArray();
            await writer.FlushAsync(cancellationToken);
            await io.Out.WriteAsync("\n"u8.ToArray(), cancellationToken);
        }

        return denied;
    }

    /// <summary>One pod spec's verdicts: enforce, and audit and warn where its namespace's labels ask for them.</summary>
    private sealed record Verdict(PodSpecView Pod, int? Line, PodSecurityResult Enforce, PodSecurityResult? Audit, PodSecurityResult? Warn)
    {
        public static Verdict Of(PodSpecView pod, PodSecurityNamespacePolicy policy, YamlNode node)
        {
            var evaluator = PodSecurityEvaluator.Default;
            var enforce = evaluator.Evaluate(pod, policy.Enforce);
            PodSecurityResult? audit = policy.Audit.Level == PodSecurityLevel.Privileged ? null : evaluator.Evaluate(pod, policy.Audit);
            PodSecurityResult? warn = policy.Warn.Level == PodSecurityLevel.Privileged ? null : evaluator.Evaluate(pod, policy.Warn);
            return new(pod, YamlSource.LineOf(node), enforce, audit, warn);
        }

        public void WriteText(StringBuilder text)
        {
            text.Append(Pod.File);
            if (Line is > 0)
            {
                text.Append(':').Append(Line.Value);
            }

            text.Append(' ').Append(Pod.ObjectName).Append(": ")
                .Append(Enforce.Allowed ? $"allowed by PodSecurity \"{Enforce.Policy}\"" : $"denied: {Enforce.Message}").Append('\n');
            if (Audit is { Allowed: false } audit)
            {
                text.Append("  audit: ").Append(audit.WouldViolateMessage).Append('\n');
            }

            if (Enforce.Allowed && Warn is { Allowed: false } warn)
            {
                text.Append("  warning: ").Append(warn.WouldViolateMessage).Append('\n');
            }
        }

        public void WriteJson(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteString("file", Pod.File);
            if (Line is > 0)
            {
                json.WriteNumber("line", Line.Value);
            }

            json.WriteString("object", Pod.ObjectName);
            if (Pod.Namespace is { } ns)
            {
                json.WriteString("namespace", ns);
            }

            json.WriteString("policy", Enforce.Policy.ToString());
            json.WriteBoolean("allowed", Enforce.Allowed);
            if (!Enforce.Allowed)
            {
                json.WriteString("message", Enforce.Message);
            }

            json.WriteStartArray("violations");
            foreach (var violation in Enforce.Violations)
            {
                json.WriteStartObject();
                json.WriteString("check", violation.Check.UpstreamId);
                json.WriteString("ruleId", violation.Check.Rule.Id);
                json.WriteString("reason", violation.Reason);
                json.WriteString("detail", violation.Detail);
                json.WriteString("jsonPath", violation.JsonPath);
                if (violation.Node is { } node)
                {
                    json.WriteNumber("line", YamlSource.LineOf(node));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (Audit is { Allowed: false } audit)
            {
                json.WriteString("audit", audit.WouldViolateMessage);
            }

            if (Enforce.Allowed && Warn is { Allowed: false } warn)
            {
                json.WriteString("warning", warn.WouldViolateMessage);
            }

            json.WriteEndObject();
        }
    }
}
