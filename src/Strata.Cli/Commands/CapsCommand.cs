namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Kernel.Capabilities;

/// <summary><c>strata caps list|show|defaults|decode|pid|diff</c>: Linux capabilities explained and compared.</summary>
internal static class CapsCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var command = new Command("caps", "Explain Linux capabilities: the catalog, decoded masks, a process's five sets, and differences from the runtimes' defaults.");
        var format = new Option<string>("--format", "-f") { HelpName = "format", Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var against = new Option<string>("--against")
        {
            HelpName = "runtime",
            Description = "The default set to compare with: docker, containerd, cri-o, podman or runc (the runc spec template).",
            DefaultValueFactory = _ => "docker",
        };
        var root = new Option<string>("--root") { HelpName = "dir", Description = "Read /proc under DIR instead of / (a copy of another host's /proc).", DefaultValueFactory = _ => "/" };

        var list = new Command("list", "Every capability from 0 (CAP_CHOWN) to 40 (CAP_CHECKPOINT_RESTORE): kernel version, risk, what it grants.") { format };
        Add(list, shared, io, (parse, _) => CapabilityReport.List(Json(parse, format)));

        var name = new Argument<string>("capability") { Description = "A capability name (CAP_SYS_ADMIN, sys_admin) or number." };
        var show = new Command("show", "One capability in full: what it grants, its risk, known escapes, which runtime defaults hold it.") { name, format };
        Add(show, shared, io, (parse, _) =>
        {
            var text = parse.GetValue(name)!;
            var info = CapabilityCatalog.ByName(text) ?? throw StrataException.Usage($"'{Redaction.Quote(text, 40)}' is not a Linux capability (see `strata caps list`).");
            return CapabilityReport.Show(info, Json(parse, format));
        });

        var defaults = new Command("defaults", "The default capability sets of Docker, containerd, CRI-O, Podman and the runc spec template.") { format };
        Add(defaults, shared, io, (parse, _) => CapabilityReport.Defaults(Json(parse, format)));

        var mask = new Argument<string>("set") { Description = "A hexadecimal mask as in /proc/PID/status (00000000a80425fb) or a list of names (CHOWN,NET_RAW or ALL)." };
        var decode = new Command("decode", "Decode a capability set and assess it against a runtime's default: additions, dangerous ones, privileged-equivalent, escape-capable.") { mask, against, format };
        Add(decode, shared, io, (parse, _) =>
        {
            var text = parse.GetValue(mask)!;
            return CapabilityReport.Assess(text, CapabilityAssessment.Of(ParseSet(text), Baseline(parse.GetValue(against)!)), Json(parse, format));
        });

        var pid = new Argument<string>("pid") { Description = "A process ID, or self." };
        var process = new Command("pid", "The five capability sets of a process (/proc/PID/status), assessed against a runtime's default.") { pid, against, root, format };
        Add(process, shared, io, (parse, _) =>
        {
            var id = parse.GetValue(pid)!;
            var directory = parse.GetValue(root)!;
            return CapabilityReport.Process(id, ProcessCapabilities.Read(id, directory), Baseline(parse.GetValue(against)!), LastCap(directory), Json(parse, format));
        });

        var a = new Argument<string>("a") { Description = "A mask, a list of names, a runtime (docker, containerd, cri-o, podman, runc) or a process (pid:N, self)." };
        var b = new Argument<string>("b") { Description = "The same kinds as A." };
        var diff = new Command("diff", "What each of two capability sets holds that the other does not.") { a, b, root, format };
        Add(diff, shared, io, (parse, _) =>
        {
            var directory = parse.GetValue(root)!;
            var (labelA, setA) = Operand(parse.GetValue(a)!, directory);
            var (labelB, setB) = Operand(parse.GetValue(b)!, directory);
            return CapabilityReport.Diff(labelA, setA, labelB, setB, Json(parse, format));
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(defaults);
        command.Subcommands.Add(decode);
        command.Subcommands.Add(process);
        command.Subcommands.Add(diff);
        return command;
    }

    private static void Add(Command command, SharedOptions shared, CliIo io, Func<ParseResult, CancellationToken, string> render)
    {
        SharedOptions.Add(command, shared.Debug);
        command.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            var text = render(parse, ct);
            await io.Out.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            return (int)ExitCode.Clean;
        }));
    }

    private static bool Json(ParseResult parse, Option<string> format) => parse.GetValue(format) == "json";

    private static RuntimeDefault Baseline(string runtime) =>
        CapabilityCatalog.DefaultOf(runtime) ?? throw StrataException.Usage($"--against: '{Redaction.Quote(runtime, 40)}' is not a runtime Strata knows the defaults of (docker, containerd, cri-o, podman, runc).");

    /// <summary>A hexadecimal mask when the text is only hex digits, else a list of names.</summary>
    private static CapabilitySet ParseSet(string text)
    {
        var digits = text.Trim();
        var hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? digits[2..] : digits;
        try
        {
            return hex.Length > 0 && hex.All(char.IsAsciiHexDigit) ? CapabilitySet.ParseHex(digits) : CapabilitySet.ParseNames(text);
        }
        catch (StrataException e)
        {
            // A set given on the command line is an argument, not input read from a target.
            throw StrataException.Usage(e.Message);
        }
    }

    private static (string Label, CapabilitySet Set) Operand(string text, string root)
    {
        if (CapabilityCatalog.DefaultOf(text) is { } runtime)
        {
            return ($"{runtime.Runtime} default", runtime.Capabilities);
        }

        if (text == "self" || text.StartsWith("pid:", StringComparison.Ordinal))
        {
            var id = text == "self" ? "self" : text[4..];
            return ($"process {id} (effective)", ProcessCapabilities.Read(id, root).Effective);
        }

        return (text, ParseSet(text));
    }

    /// <summary>The kernel's highest capability (/proc/sys/kernel/cap_last_cap), or the catalog's last when unreadable.</summary>
    private static int LastCap(string root)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(root, "proc/sys/kernel/cap_last_cap")).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var last) && last is >= 0 and < 64 ? last : CapabilityCatalog.LastKnown;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CapabilityCatalog.LastKnown;
        }
    }
}
