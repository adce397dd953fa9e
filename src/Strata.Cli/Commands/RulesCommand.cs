namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Engine;

/// <summary><c>strata rules list|explain|docs</c>: the rule catalog.</summary>
internal static class RulesCommand
{
    public static Command Create(GlobalOptions global, CliIo io)
    {
        var command = new Command("rules", "List, explain and document the rules Strata checks.");

        var layer = new Option<string?>("--layer") { Description = "Only rules of this layer: kernel, image, runtime, orchestrator, application." };
        var list = new Command("list", "List every rule.") { layer };
        list.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(global.Debug), () => ListAsync(io, parse.GetValue(global.Format)!, parse.GetValue(layer), parse.GetValue(global.Output))));
        command.Subcommands.Add(list);

        var id = new Argument<string>("id") { Description = "A rule ID, e.g. KRN-001." };
        var explain = new Command("explain", "Explain one rule: why it matters, how to fix it, examples.") { id };
        explain.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(global.Debug), () => ExplainAsync(io, parse.GetValue(id)!, parse.GetValue(global.Output))));
        command.Subcommands.Add(explain);

        var directory = new Argument<string>("directory") { Description = "Where to write the rule pages, e.g. docs/rules." };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 when the directory differs from the catalog." };
        var docs = new Command("docs", "Generate the Markdown rule reference from the catalog.") { directory, check };
        docs.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(global.Debug), () => DocsAsync(io, parse.GetValue(directory)!, parse.GetValue(check))));
        command.Subcommands.Add(docs);
        return command;
    }

    private static async Task<int> ListAsync(CliIo io, string format, string? layerText, string? output)
    {
        var catalog = ScannerRegistry.CreateDefault().Catalog;
        IEnumerable<Rule> rules = catalog.Rules;
        if (layerText is not null)
        {
            rules = StackLayerNames.TryParse(layerText, out var layer)
                ? rules.Where(r => r.Layer == layer)
                : throw StrataException.Usage($"--layer '{layerText}': expected kernel, image, runtime, orchestrator or application.");
        }

        var selected = rules.ToList();
        await ReportOutput.WriteAsync(io, output, async stream =>
        {
            if (format == "json")
            {
                await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                json.WriteStartArray();
                foreach (var rule in selected)
                {
                    json.WriteStartObject();
                    json.WriteString("id", rule.Id);
                    json.WriteString("severity", rule.Severity.ToName());
                    json.WriteString("layer", rule.Layer.ToName());
                    json.WriteString("family", rule.Family);
                    json.WriteString("title", rule.Title);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }
            else if (format == "table")
            {
                var text = new StringBuilder();
                var idWidth = Math.Max(8, selected.Select(r => r.Id.Length).DefaultIfEmpty(0).Max());
                text.Append("ID".PadRight(idWidth)).Append("  SEVERITY  LAYER         TITLE\n");
                foreach (var rule in selected)
                {
                    text.Append(rule.Id.PadRight(idWidth)).Append("  ").Append(rule.Severity.ToName().PadRight(8)).Append("  ")
                        .Append(rule.Layer.ToName().PadRight(12)).Append("  ").Append(rule.Title).Append('\n');
                }

                text.Append(selected.Count).Append(" rules\n");
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
            }
            else
            {
                throw StrataException.Usage($"rules list supports --format table or json, not {format}.");
            }
        });
        return (int)ExitCode.Clean;
    }

    private static async Task<int> ExplainAsync(CliIo io, string id, string? output)
    {
        var rule = ScannerRegistry.CreateDefault().Catalog.Find(id) ?? throw StrataException.Usage($"No rule {id}; see 'strata rules list'.");
        await ReportOutput.WriteAsync(io, output, stream => stream.WriteAsync(Encoding.UTF8.GetBytes(RuleMarkdown.Page(rule))).AsTask());
        return (int)ExitCode.Clean;
    }

    private static async Task<int> DocsAsync(CliIo io, string directory, bool check)
    {
        var pages = RuleDocs.Generate(ScannerRegistry.CreateDefault().Catalog);
        if (check)
        {
            var stale = RuleDocs.Compare(pages, directory);
            foreach (var line in stale)
            {
                await io.Error.WriteLineAsync(line);
            }

            return stale.Count == 0 ? (int)ExitCode.Clean : (int)ExitCode.Findings;
        }

        RuleDocs.Write(pages, directory);
        await io.Error.WriteLineAsync($"wrote {pages.Count} files to {directory}");
        return (int)ExitCode.Clean;
    }
}
