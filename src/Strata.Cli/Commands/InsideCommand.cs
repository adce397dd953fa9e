namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Kernel;
using Strata.Kernel.Containment;

/// <summary><c>strata inside</c>: run in a container, says how contained it is.</summary>
internal static class InsideCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var format = new Option<string>("--format", "-f") { HelpName = "format", Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var root = new Option<string?>("--root") { HelpName = "dir", Description = "Read proc, sys and dev under DIR instead of / (a copy of another container's, for tests and forensics)." };
        var probe = new Option<bool>("--probe-syscalls") { Description = "Also try some 50 security-relevant system calls (mount, unshare, bpf, keyctl, kexec_load, open_by_handle_at…) in a child process, with arguments that make them fail harmlessly, and list those refused before they ran (seccomp, or a missing capability)." };
        var child = new Option<int?>("--probe-child") { Hidden = true };
        var command = new Command("inside", "Run inside a container: which engine started it, its namespaces against the host's, user-namespace mapping, capabilities, seccomp, no_new_privs, AppArmor/SELinux label, the host sockets, filesystems, kernel files and devices it can reach, whether it is privileged, and the findings (CTR- rules, CAP-001). Exit 1 when a finding is at or above --fail-on.") { format, root, probe, child };
        SharedOptions.Add(command, shared.FailOn, shared.Debug);
        command.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            if (parse.GetValue(child) is { } start)
            {
                SyscallProbe.RunInChild(start, io.Out);
                return (int)ExitCode.Clean;
            }

            var failOn = parse.GetValue(shared.FailOn) is { } failOnText
                ? SeverityNames.TryParse(failOnText, out var parsed) ? parsed : throw StrataException.Usage($"--fail-on '{Redaction.Quote(failOnText)}': expected CRITICAL, HIGH, MEDIUM, LOW or INFO.")
                : (Severity?)null;
            var directory = parse.GetValue(root) is { } given ? Path.GetFullPath(given, io.WorkingDirectory) : io.HostRoot;
            if (!Directory.Exists(directory))
            {
                throw StrataException.Usage($"--root {Redaction.Quote(directory)}: no such directory.");
            }

            var host = new HostSnapshot(directory);
            var view = host.Containment;
            using var loggers = StrataCli.CreateLoggerFactory(io, quiet: false, parse.GetValue(shared.Debug));
            var logger = loggers.CreateLogger("strata");
            IReadOnlyList<Finding> findings = view.InContainer
                ? CheckRunner.Run(HostScanner.ContainerChecks.Prepend(new Strata.Kernel.Checks.ContainerWithDangerousCapabilities()), host, new ScanContext().ChecksOf("inside"), logger, ct)
                : [];
            IReadOnlyList<SyscallResult>? syscalls = null;
            if (parse.GetValue(probe))
            {
                if (!host.IsRealHost)
                {
                    throw StrataException.Usage("--probe-syscalls probes this process's own kernel, so it cannot be combined with --root.");
                }

                syscalls = await SyscallProbe.RunAsync(view.Capabilities?.Effective ?? default, ct);
            }

            await io.Out.WriteAsync(Encoding.UTF8.GetBytes(ContainmentReport.Render(view, findings, syscalls, parse.GetValue(format) == "json")), ct);
            return failOn is { } threshold && findings.Any(f => f.Severity >= threshold) ? (int)ExitCode.Findings : (int)ExitCode.Clean;
        }));
        return command;
    }
}
