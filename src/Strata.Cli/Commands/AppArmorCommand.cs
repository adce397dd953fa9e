namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Runtime.AppArmor;

/// <summary><c>strata apparmor generate</c>: an AppArmor profile for a container, drafted from a recorded run.</summary>
internal static class AppArmorCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var command = new Command("apparmor", "AppArmor profiles for containers.");
        var sources = new RecordingSources();
        var name = new Option<string?>("--name") { HelpName = "name", Description = "The profile name runtimes are given (--security-opt apparmor=NAME, process.apparmorProfile). Default: strata-<program>." };
        var output = new Option<string?>("--output", "-o") { HelpName = "file", Description = "Write the profile to FILE (required when a command is recorded: its own output goes to standard output)." };
        var rootfs = new Option<string?>("--rootfs") { HelpName = "dir", Description = "The run was recorded in this unpacked root filesystem (e.g. chroot DIR CMD): its paths become the container's, others are dropped." };
        var noDenials = new Option<bool>("--no-kernel-denials") { Description = "Leave out docker-default's deny rules (mount, writes under /proc and /sys)." };
        var generate = new Command("generate", "Draft an AppArmor profile from a recorded run (a command traced with strace -f, or strace logs): the capabilities its syscalls imply, the socket families it opened, each path it read, wrote, executed, mapped or locked, plus docker-default's denials. Check it with apparmor_parser -Q -K.")
        {
            name, output, rootfs, noDenials,
        };
        sources.AddTo(generate);
        SharedOptions.Add(generate, shared.Limits, shared.Debug);
        generate.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            var outputPath = parse.GetValue(output);
            if (sources.HasCommand(parse) && outputPath is null)
            {
                throw StrataException.Usage("Give --output FILE when recording a command: the command writes to standard output too.");
            }

            if (!sources.HasCommand(parse) && (parse.GetValue(sources.FromStrace) ?? []).Length == 0)
            {
                throw StrataException.Usage("Nothing to draft from: give a command after --, or --from-strace LOG.");
            }

            var recording = await sources.GatherAsync(parse, io, ct);
            await RecordingSources.WarnAsync(io, recording);
            var profileName = parse.GetValue(name) ?? DefaultName(recording.Executables.FirstOrDefault() ?? parse.GetValue(sources.Command)?.FirstOrDefault());
            var root = parse.GetValue(rootfs) is { } dir ? Path.GetFullPath(dir, io.WorkingDirectory) : null;
            var text = AppArmorProfileGenerator.Generate(recording, new AppArmorOptions(profileName, root) { KernelInterfaceDenials = !parse.GetValue(noDenials) });
            await ReportOutput.WriteAsync(io, outputPath, stream => stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask());
            await io.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"strata: profile {profileName}: {recording.RealPaths.Count()} paths, {recording.Networks.Count} network rules, {recording.Capabilities.Count} capabilities{(outputPath is null ? string.Empty : "; wrote " + Redaction.Quote(outputPath, 200))}"));
            return (int)ExitCode.Clean;
        }));
        command.Subcommands.Add(generate);
        return command;
    }

    private static string DefaultName(string? program)
    {
        var stem = program is null ? "container" : Path.GetFileName(program.TrimEnd('/'));
        var cleaned = new string([.. stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]).Trim('-', '.');
        return "strata-" + (cleaned.Length == 0 ? "container" : cleaned[..Math.Min(cleaned.Length, 100)]);
    }
}
