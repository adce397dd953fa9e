namespace Strata.Cli.Commands;

using System.CommandLine;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Engine;
using Strata.Reporting;

/// <summary><c>strata rules list|explain|docs</c>: the rule catalog.</summary>
internal static class RulesCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var command = new Command("rules", "List, explain and document the rules Strata checks.");
        var settings = io.ReportSettings;

        var layer = new Option<string?>("--layer") { HelpName = "layer", Description = "Only rules of this layer of the stack: kernel, image, runtime, orchestrator or application." };
        var listReport = new ReportOptions<RuleListDocument>(ReportWriterFactory.ForRuleList(settings), shared);
        var list = new Command("list", "List every rule with its severity, layer and title.") { layer };
        listReport.AddTo(list);
        SharedOptions.Add(list, shared.Debug);
        list.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), () => ListAsync(parse, listReport, io, parse.GetValue(layer), ct)));
        command.Subcommands.Add(list);

        var id = new Argument<string>("id") { Description = "A rule ID, e.g. KRN-001." };
        var explainReport = new ReportOptions<RuleDocument>(ReportWriterFactory.ForRule(settings), shared);
        var explain = new Command("explain", "Explain one rule: why it matters, how to fix it, examples.") { id };
        explainReport.AddTo(explain);
        SharedOptions.Add(explain, shared.Debug);
        explain.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), () => ExplainAsync(parse, explainReport, io, parse.GetValue(id)!, ct)));
        command.Subcommands.Add(explain);

        var directory = new Argument<string>("directory") { Description = "Where to write the rule pages, e.g. docs/rules." };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 when the directory differs from the catalog." };
        var docs = new Command("docs", "Generate the Markdown rule reference from the catalog.") { directory, check };
        SharedOptions.Add(docs, shared.Quiet, shared.Debug);
        docs.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), () => DocsAsync(io, parse.GetValue(directory)!, parse.GetValue(check), parse.GetValue(shared.Quiet))));
        command.Subcommands.Add(docs);
        return command;
    }

    private static async Task<int> ListAsync(ParseResult parse, ReportOptions<RuleListDocument> report, CliIo io, string? layerText, CancellationToken cancellationToken)
    {
        IEnumerable<Rule> rules = ScannerRegistry.CreateDefault().Catalog.Rules;
        StackLayer? only = null;
        if (layerText is not null)
        {
            only = StackLayerNames.TryParse(layerText, out var layer)
                ? layer
                : throw StrataException.Usage($"--layer '{Redaction.Quote(layerText)}': expected kernel, image, runtime, orchestrator or application.");
            rules = rules.Where(r => r.Layer == layer);
        }

        await report.WriteAsync(parse, io, new RuleListDocument([.. rules], only), cancellationToken);
        return (int)ExitCode.Clean;
    }

    private static async Task<int> ExplainAsync(ParseResult parse, ReportOptions<RuleDocument> report, CliIo io, string id, CancellationToken cancellationToken)
    {
        var rule = ScannerRegistry.CreateDefault().Catalog.Find(id) ?? throw StrataException.Usage($"No rule {Redaction.Quote(id)}; see 'strata rules list'.");
        await report.WriteAsync(parse, io, new RuleDocument(rule), cancellationToken);
        return (int)ExitCode.Clean;
    }

    private static async Task<int> DocsAsync(CliIo io, string directory, bool check, bool quiet)
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
        if (!quiet)
        {
            await io.Error.WriteLineAsync($"wrote {pages.Count} files to {directory}");
        }

        return (int)ExitCode.Clean;
    }
}
