namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kernel.Capabilities;
using Strata.Runtime.Recording;
using Strata.Runtime.Seccomp;

/// <summary><c>strata seccomp convert|resolve|lint|diff|record</c>: seccomp profiles in the moby, OCI and security-profiles-operator formats.</summary>
internal static class SeccompCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var command = new Command("seccomp", "Seccomp profiles in Docker/moby, OCI runtime-spec (linux.seccomp) and security-profiles-operator (SeccompProfile YAML) form: convert, resolve, lint, diff, and record from a real run.");
        var format = new Option<string>("--format", "-f") { HelpName = "format", Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var arch = new Option<string?>("--arch")
        {
            HelpName = "arch",
            Description = $"The architecture to resolve for: {string.Join(", ", SyscallTable.All.Select(t => t.Name))} (or amd64, arm64, SCMP_ARCH_…). Default: this machine's.",
        };
        var caps = new Option<string?>("--caps")
        {
            HelpName = "list",
            Description = "The container's capabilities: names (CAP_SYS_ADMIN,NET_RAW), ALL, none, or a runtime whose default set to take (docker, containerd, cri-o, podman, runc). Default: docker.",
        };
        var kernel = new Option<string?>("--kernel")
        {
            HelpName = "version",
            Description = "The host kernel version minKernel conditions are compared with (5.10, 6.1.0-13-amd64), or latest. Default: the running kernel.",
        };

        var input = new Argument<string>("profile") { Description = "A seccomp profile: moby/Docker or OCI JSON, an OCI config.json (its linux.seccomp), or a security-profiles-operator SeccompProfile (YAML or JSON); /dev/stdin reads standard input." };
        var to = new Option<string>("--to") { HelpName = "format", Description = "docker, oci or spo.", Required = true };
        to.AcceptOnlyFromAmong("docker", "oci", "spo");
        var output = new Option<string?>("--output", "-o") { HelpName = "file", Description = "Write the profile to FILE instead of standard output." };
        var name = new Option<string?>("--name") { HelpName = "name", Description = "metadata.name of a SeccompProfile object written with --to spo (default: the input's, or the file name)." };
        var convert = new Command("convert", "Convert a profile to another format. OCI and SPO profiles have no conditions, so a moby profile with archMap or includes/excludes is first resolved as a runtime would (--arch, --caps, --kernel); moby comments are dropped then.") { input, to, output, name, arch, caps, kernel };
        Add(convert, shared, io, async (parse, ct) =>
        {
            var file = parse.GetValue(input)!;
            var profile = Load(file, parse, shared, io);
            var target = parse.GetValue(to) switch { "oci" => SeccompFormat.Oci, "spo" => SeccompFormat.Spo, _ => SeccompFormat.Docker };
            if (target != SeccompFormat.Docker && profile.IsConditional)
            {
                var resolveFor = Target(parse, arch, caps, kernel);
                profile = SeccompResolver.Resolve(profile, resolveFor);
                await io.Error.WriteLineAsync($"strata: {Safe(file)} has conditional rules; resolved them for {Describe(resolveFor)}.");
            }

            if (target == SeccompFormat.Spo)
            {
                var objectName = parse.GetValue(name) ?? profile.Spo?.Name ?? SpoName(file);
                profile = profile with { Spo = (profile.Spo ?? new SpoMetadata(objectName, null, null, null)) with { Name = objectName } };
            }

            var text = SeccompProfileWriter.Write(profile, target);
            if (parse.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(Path.GetFullPath(path, io.WorkingDirectory), text, new UTF8Encoding(false), ct);
            }
            else
            {
                await Write(io, text.EndsWith('\n') ? text : text + "\n", ct);
            }

            return ExitCode.Clean;
        });

        var resolve = new Command("resolve", "The flat profile a runtime would load: the archMap entry of --arch with its sub-architectures, and the rules whose includes hold and excludes do not for --caps and --kernel. Text: one line per syscall; JSON: the OCI linux.seccomp object. Names that none of the resolved architectures has are listed on stderr (runtimes skip them).") { input, arch, caps, kernel, format };
        Add(resolve, shared, io, async (parse, ct) =>
        {
            var file = parse.GetValue(input)!;
            var target = Target(parse, arch, caps, kernel);
            var resolved = SeccompResolver.Resolve(Load(file, parse, shared, io), target);
            var absent = SeccompResolver.NamesNotOn(resolved, target.Arch);
            if (absent.Count > 0)
            {
                await io.Error.WriteLineAsync($"strata: {absent.Count} names are not syscalls of {string.Join(", ", resolved.Architectures.DefaultIfEmpty(target.Arch.ScmpArch))} and are skipped by runtimes: {string.Join(", ", absent)}");
            }

            await Write(io, Json(parse, format) ? SeccompProfileWriter.Write(resolved, SeccompFormat.Oci) + "\n" : ResolvedText(file, resolved, target), ct);
            return ExitCode.Clean;
        });

        var failOn = new Option<string?>("--fail-on") { HelpName = "severity", Description = "Exit 1 only for findings at or above this severity (CRITICAL, HIGH, MEDIUM, LOW, INFO). Default: any finding." };
        var lint = new Command("lint", "Check a profile with the SCP- rules (the same as `strata scan seccomp:PROFILE`): default allow, dangerous syscalls allowed, clone/clone3, unknown names, missing architectures. Exit 1 on findings.") { input, format, failOn };
        Add(lint, shared, io, async (parse, ct) =>
        {
            var file = parse.GetValue(input)!;
            var threshold = parse.GetValue(failOn) is { } text
                ? SeverityNames.TryParse(text, out var parsed) ? parsed : throw StrataException.Usage($"--fail-on '{Redaction.Quote(text)}': expected CRITICAL, HIGH, MEDIUM, LOW or INFO.")
                : Severity.Info;
            var path = Path.GetFullPath(file, io.WorkingDirectory);
            var findings = await new SeccompScanner().ScanAsync(new ScanTarget(TargetKind.SeccompProfile, file, path), new ScanContext { Limits = parse.GetValue(shared.Limits) ?? Limits.Default }, ct);
            await Write(io, Json(parse, format) ? FindingsJson(file, findings) : FindingsText(file, findings), ct);
            return findings.Any(f => f.Severity >= threshold) ? ExitCode.Findings : ExitCode.Clean;
        });

        var a = new Argument<string>("a") { Description = "A profile (any format)." };
        var b = new Argument<string>("b") { Description = "Another profile, e.g. Docker's default profile." };
        var diff = new Command("diff", "What two profiles do differently: default action, architectures, flags, and each syscall whose rules differ (as written; resolve both first to compare what runtimes load). Exit 1 when they differ.") { a, b, format };
        Add(diff, shared, io, async (parse, ct) =>
        {
            var fileA = parse.GetValue(a)!;
            var fileB = parse.GetValue(b)!;
            var differences = SeccompDiff.Compare(Load(fileA, parse, shared, io), Load(fileB, parse, shared, io));
            await Write(io, Json(parse, format) ? DiffJson(fileA, fileB, differences) : DiffText(fileA, fileB, differences), ct);
            return differences.Count > 0 ? ExitCode.Findings : ExitCode.Clean;
        });

        var record = CreateRecord(shared, io, name, caps, kernel);

        command.Subcommands.Add(convert);
        command.Subcommands.Add(resolve);
        command.Subcommands.Add(lint);
        command.Subcommands.Add(diff);
        command.Subcommands.Add(record);
        return command;
    }

    private static Command CreateRecord(SharedOptions shared, CliIo io, Option<string?> name, Option<string?> caps, Option<string?> kernel)
    {
        var sources = new RecordingSources();
        var output = new Option<string?>("--output", "-o") { HelpName = "file", Description = "Write the profile to FILE (required when a command is recorded: its own output goes to standard output)." };
        var recordTo = new Option<string>("--to") { HelpName = "format", Description = "oci (default; Docker and Podman read it too), docker or spo.", DefaultValueFactory = _ => "oci" };
        recordTo.AcceptOnlyFromAmong("docker", "oci", "spo");
        var baseline = new Option<string>("--baseline")
        {
            HelpName = "runtime",
            Description = $"Add the syscalls the runtime's init makes after installing the filter ({string.Join(", ", RuntimeBaseline.Known)}), or none.",
            DefaultValueFactory = _ => "runc",
        };
        var merge = new Option<string[]>("--merge") { HelpName = "profile", Description = "Join the syscalls another recorded profile allows (any format). Repeatable." };
        var fromAudit = new Option<string[]>("--from-audit") { HelpName = "log", Description = "Read type=SECCOMP audit records (audit.log, or type=1326 kernel, syslog or journal lines) of a container run with an SCMP_ACT_LOG profile. Repeatable." };
        var pid = new Option<int[]>("--pid") { HelpName = "pid", Description = "Take only audit records of these processes. Repeatable." };
        var exe = new Option<string[]>("--exe") { HelpName = "path", Description = "Take only audit records of these executables (exe=). Repeatable." };
        var record = new Command("record", "Record the minimal allowlist profile of a program: run it with every child traced (strace -f), read strace logs or seccomp audit records, join recorded profiles. Default action SCMP_ACT_ERRNO (EPERM), this machine's architecture with its sub-architectures, the syscalls sorted, plus --baseline's.")
        {
            output, recordTo, name, baseline, merge, fromAudit, pid, exe, caps, kernel,
        };
        sources.AddTo(record);
        Add(record, shared, io, async (parse, ct) =>
        {
            var outputPath = parse.GetValue(output);
            var runtime = parse.GetValue(baseline)!;
            var extra = runtime == "none" ? [] : RuntimeBaseline.For(runtime) ?? throw StrataException.Usage($"--baseline '{Redaction.Quote(runtime, 40)}': expected {string.Join(", ", RuntimeBaseline.Known)} or none.");
            var merged = parse.GetValue(merge) ?? [];
            var audits = parse.GetValue(fromAudit) ?? [];
            if (sources.HasCommand(parse) && outputPath is null)
            {
                throw StrataException.Usage("Give --output FILE when recording a command: the command writes to standard output too.");
            }

            if (!sources.HasCommand(parse) && merged.Length == 0 && audits.Length == 0 && (parse.GetValue(sources.FromStrace) ?? []).Length == 0)
            {
                throw StrataException.Usage("Nothing to record: give a command after --, or --from-strace, --from-audit or --merge.");
            }

            var table = sources.Table(parse);
            var recording = await sources.GatherAsync(parse, io, ct);
            var filter = new AuditLog.Filter(new HashSet<int>(parse.GetValue(pid) ?? []), new HashSet<string>(parse.GetValue(exe) ?? [], StringComparer.Ordinal));
            foreach (var audit in audits)
            {
                using var reader = RecordingSources.OpenText(audit, Path.GetFullPath(audit, io.WorkingDirectory));
                var taken = await AuditLog.ReadAsync(reader, filter, recording, ct);
                await io.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"strata: {Safe(audit)}: {taken} seccomp records taken"));
            }

            var names = new SortedSet<string>(recording.Syscalls.Keys, StringComparer.Ordinal);
            var target = new SeccompTarget(table, Capabilities(parse.GetValue(caps) ?? "docker"), Kernel(parse.GetValue(kernel)));
            foreach (var file in merged)
            {
                names.UnionWith(SeccompRecorder.AllowedNames(Load(file, parse, shared, io), target));
            }

            var recorded = names.Count;
            names.UnionWith(extra);
            await RecordingSources.WarnAsync(io, recording);
            var (profile, unknown) = SeccompRecorder.Build(names, table);
            if (unknown.Count > 0)
            {
                await io.Error.WriteLineAsync($"strata: left out {unknown.Count} names no {table.Name} table knows: {string.Join(", ", unknown.Select(n => Redaction.Quote(n, 64)))}");
            }

            var format = parse.GetValue(recordTo) switch { "docker" => SeccompFormat.Docker, "spo" => SeccompFormat.Spo, _ => SeccompFormat.Oci };
            if (format == SeccompFormat.Spo)
            {
                profile = profile with { Spo = new SpoMetadata(parse.GetValue(name) ?? (outputPath is null ? "recorded" : SpoName(outputPath)), null, null, null) };
            }

            var text = SeccompProfileWriter.Write(profile, format);
            await ReportOutput.WriteAsync(io, outputPath, stream => stream.WriteAsync(Encoding.UTF8.GetBytes(text.EndsWith('\n') ? text : text + "\n"), ct).AsTask());
            await io.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"strata: {profile.Rules.Sum(r => r.Names.Count)} syscalls allowed ({recorded} recorded{(runtime == "none" ? string.Empty : $", {extra.Count} in the {runtime} baseline")}); everything else fails with EPERM{(outputPath is null ? string.Empty : "; wrote " + Safe(outputPath))}"));
            return ExitCode.Clean;
        });
        return record;
    }

    private static void Add(Command command, SharedOptions shared, CliIo io, Func<ParseResult, CancellationToken, Task<ExitCode>> body)
    {
        SharedOptions.Add(command, shared.Limits, shared.Debug);
        command.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () => (int)await body(parse, ct)));
    }

    private static SeccompProfile Load(string file, ParseResult parse, SharedOptions shared, CliIo io) =>
        SeccompProfileReader.Load(Path.GetFullPath(file, io.WorkingDirectory), parse.GetValue(shared.Limits) ?? Limits.Default);

    private static Task Write(CliIo io, string text, CancellationToken ct) => io.Out.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();

    private static bool Json(ParseResult parse, Option<string> format) => parse.GetValue(format) == "json";

    private static string Safe(string text) => Redaction.Quote(text, 200);

    private static SeccompTarget Target(ParseResult parse, Option<string?> arch, Option<string?> caps, Option<string?> kernel)
    {
        var table = parse.GetValue(arch) is { } archText
            ? SyscallTable.Find(archText) ?? throw StrataException.Usage($"--arch '{Redaction.Quote(archText, 40)}': expected one of {string.Join(", ", SyscallTable.All.Select(t => t.Name))}.")
            : SyscallTable.Host ?? throw StrataException.Usage($"This machine's architecture has no syscall table; give --arch ({string.Join(", ", SyscallTable.All.Select(t => t.Name))}).");
        return new SeccompTarget(table, Capabilities(parse.GetValue(caps) ?? "docker"), Kernel(parse.GetValue(kernel)));
    }

    private static HashSet<string> Capabilities(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        try
        {
            var set = CapabilityCatalog.DefaultOf(trimmed) is { } runtime ? runtime.Capabilities : CapabilitySet.ParseNames(trimmed);
            return set.Names.ToHashSet(StringComparer.Ordinal);
        }
        catch (StrataException e)
        {
            throw StrataException.Usage("--caps: " + e.Message);
        }
    }

    private static KernelVersion? Kernel(string? text)
    {
        if (text is null)
        {
            try
            {
                return KernelVersion.TryParse(File.ReadAllText("/proc/sys/kernel/osrelease").Trim());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        return text.Equals("latest", StringComparison.OrdinalIgnoreCase)
            ? null
            : KernelVersion.TryParse(text) ?? throw StrataException.Usage($"--kernel '{Redaction.Quote(text, 40)}': expected a version like 5.10 or 6.1.0-13-amd64, or latest.");
    }

    private static string Describe(SeccompTarget target) =>
        $"{target.Arch.Name}, {(target.Caps.Count == 0 ? "no capabilities" : target.Caps.Count.ToString(CultureInfo.InvariantCulture) + " capabilities")}, kernel {(target.Kernel is { } k ? k.ToString() : "latest")}";

    private static string SpoName(string file)
    {
        var stem = Path.GetFileNameWithoutExtension(file).ToLowerInvariant();
        var cleaned = new string([.. stem.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return cleaned.Length == 0 ? "profile" : cleaned;
    }

    private static string ResolvedText(string file, SeccompProfile resolved, SeccompTarget target)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {Safe(file)} resolved for {Describe(target)}\n");
        text.Append(CultureInfo.InvariantCulture, $"architectures: {(resolved.Architectures.Count == 0 ? "(native only)" : string.Join(", ", resolved.Architectures))}\n");
        var treatments = SeccompDiff.Treatments(resolved);
        var fallback = resolved.DefaultAction + (resolved.DefaultErrnoRet is uint e ? string.Create(CultureInfo.InvariantCulture, $"({e})") : string.Empty);
        text.Append(CultureInfo.InvariantCulture, $"default: {fallback}\n");
        var width = treatments.Keys.DefaultIfEmpty(string.Empty).Max(k => k.Length);
        foreach (var (name, treatment) in treatments.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            text.Append(name.PadRight(width)).Append("  ").Append(treatment).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"{treatments.Count} syscalls named, {treatments.Count(t => t.Value.StartsWith("SCMP_ACT_ALLOW", StringComparison.Ordinal))} allowed (some only with argument filters)\n");
        return text.ToString();
    }

    private static string FindingsText(string file, IReadOnlyList<Finding> findings)
    {
        var text = new StringBuilder();
        foreach (var finding in findings)
        {
            var where = finding.Location.Line is int line ? string.Create(CultureInfo.InvariantCulture, $"{Safe(file)}:{line}") : Safe(file);
            text.Append(CultureInfo.InvariantCulture, $"{finding.Severity.ToString().ToUpperInvariant(),-8} {finding.RuleId}  {where}  {finding.Location.JsonPath}  {finding.Message}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{Safe(file)}: {(findings.Count == 0 ? "no findings" : findings.Count.ToString(CultureInfo.InvariantCulture) + " findings")}\n");
        return text.ToString();
    }

    private static string FindingsJson(string file, IReadOnlyList<Finding> findings) => Core.Documents.JsonText.Render(relaxed: true, write: writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("profile", file);
        writer.WriteStartArray("findings");
        foreach (var finding in findings)
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", finding.RuleId);
            writer.WriteString("severity", finding.Severity.ToString().ToUpperInvariant());
            writer.WriteString("message", finding.Message);
            writer.WriteString("jsonPath", finding.Location.JsonPath);
            if (finding.Location.Line is int line)
            {
                writer.WriteNumber("line", line);
            }

            if (finding.Location.Subject is { } subject)
            {
                writer.WriteString("subject", subject);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static string DiffText(string a, string b, IReadOnlyList<SeccompDifference> differences)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"--- a: {Safe(a)}\n+++ b: {Safe(b)}\n");
        foreach (var difference in differences)
        {
            text.Append(difference.Subject).Append('\n');
            text.Append("  a: ").Append(difference.InA).Append('\n');
            text.Append("  b: ").Append(difference.InB).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"{(differences.Count == 0 ? "no differences" : differences.Count.ToString(CultureInfo.InvariantCulture) + " differences")}\n");
        return text.ToString();
    }

    private static string DiffJson(string a, string b, IReadOnlyList<SeccompDifference> differences) => Core.Documents.JsonText.Render(relaxed: true, write: writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("a", a);
        writer.WriteString("b", b);
        writer.WriteStartArray("differences");
        foreach (var difference in differences)
        {
            writer.WriteStartObject();
            writer.WriteString("subject", difference.Subject);
            writer.WriteString("a", difference.InA);
            writer.WriteString("b", difference.InB);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
