namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Text;
using Strata.Core;

/// <summary><c>strata limits</c>: every key of <c>--limits</c>, its default and what it bounds (docs/LIMITS.md says the same).</summary>
internal static class LimitsCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var command = new Command("limits", "List every limit key with its default and what it bounds (set them with --limits).");
        SharedOptions.Add(command, shared.Debug);
        command.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            await io.Out.WriteAsync(Encoding.UTF8.GetBytes(Render(Limits.Default)), ct);
            return (int)ExitCode.Clean;
        }));
        return command;
    }

    /// <summary>One line per key: name, value, meaning, in columns.</summary>
    internal static string Render(Limits limits)
    {
        var rows = LimitKeys.All.Select(k => (k.Name, Value: k.Format(limits), k.Meaning)).Prepend(("KEY", "DEFAULT", "MEANING")).ToList();
        var nameWidth = rows.Max(r => r.Item1.Length) + 2;
        var valueWidth = rows.Max(r => r.Item2.Length) + 2;
        var text = new StringBuilder();
        foreach (var (name, value, meaning) in rows)
        {
            text.Append(name.PadRight(nameWidth)).Append(value.PadRight(valueWidth)).Append(meaning).Append('\n');
        }

        text.Append("\nSizes take k, M, G (powers of 1000) or KiB, MiB, GiB (powers of 1024): --limits document-bytes=64MiB,findings-per-rule=1000.\n");
        return text.ToString();
    }
}
