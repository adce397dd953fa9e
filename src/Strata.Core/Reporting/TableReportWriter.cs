namespace Strata.Core.Reporting;

using Spectre.Console;
using Spectre.Console.Rendering;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;

/// <summary>The human report: findings grouped by layer, then by severity, with a summary.</summary>
public sealed class TableReportWriter : IReportWriter
{
    private readonly bool colour;
    private readonly int width;

    public TableReportWriter(bool colour = false, int width = 160)
    {
        this.colour = colour;
        this.width = width;
    }

    public string Format => "table";

    public async Task WriteAsync(ScanReport report, RuleCatalog catalog, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = colour ? AnsiSupport.Yes : AnsiSupport.No,
                ColorSystem = colour ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(writer),
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = width;
            Render(console, report);
            await writer.FlushAsync(cancellationToken);
        }
    }

    private static void Render(IAnsiConsole console, ScanReport report)
    {
        foreach (var target in report.Targets)
        {
            var status = target.Error is null ? $"{target.FindingCount} finding(s)" : $"[red]error:[/] {Markup.Escape(target.Error)}";
            console.MarkupLine($"[bold]{Markup.Escape(target.Target.Name)}[/] ({target.Target.Kind.ToName()}): {status}");
        }

        foreach (var layer in report.Findings.GroupBy(f => f.Layer).OrderBy(g => g.Key))
        {
            console.WriteLine();
            console.Write(new Spectre.Console.Rule($"[bold]Layer: {layer.Key.ToName()}[/] ({layer.Count()})") { Justification = Justify.Left });
            foreach (var severity in layer.GroupBy(f => f.Severity).OrderByDescending(g => g.Key))
            {
                var table = new Table { Border = TableBorder.Rounded, Expand = false };
                table.Title = new TableTitle($"{severity.Key.ToName()} ({severity.Count()})", new Style(ColourOf(severity.Key), decoration: Decoration.Bold));
                table.AddColumn("Rule");
                table.AddColumn("Target / location");
                table.AddColumn("Finding");
                foreach (var finding in severity)
                {
                    var where = finding.Location.Describe();
                    var whereText = where.Length == 0 || where == finding.Target ? finding.Target : $"{finding.Target}\n{where}";
                    var detail = finding.Evidence is { } evidence ? $"{finding.Title}\n{finding.Message}\nevidence: {evidence.Text}" : $"{finding.Title}\n{finding.Message}";
                    table.AddRow(new IRenderable[] { new Text(finding.RuleId), new Text(whereText), new Text(detail) });
                }

                console.Write(table);
            }
        }

        console.WriteLine();
        var counts = Enum.GetValues<Severity>().Reverse().Select(s => $"{s.ToName()}: {report.Findings.Count(f => f.Severity == s)}");
        console.WriteLine($"Total: {report.Findings.Count} ({string.Join(", ", counts)}); suppressed: {report.Suppressed.Count}");
        foreach (var warning in report.Warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }
    }

    private static Color ColourOf(Severity severity) => severity switch
    {
        Severity.Critical => Color.Red,
        Severity.High => Color.Maroon,
        Severity.Medium => Color.Yellow,
        Severity.Low => Color.Blue,
        _ => Color.Grey,
    };
}
