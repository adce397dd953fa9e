namespace Strata.Reporting;

using Strata.Reporting.Images;
using Strata.Reporting.Rules;
using Strata.Reporting.Scan;

/// <summary>The writers of each command, in one place: the first of each is its default format.</summary>
public static class ReportWriterFactory
{
    public static ReportWriters<ScanDocument> ForScan(ReportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new("scan", new TableReportWriter(settings), new JsonReportWriter(), new SarifReportWriter(settings.WorkingDirectory));
    }

    public static ReportWriters<ImageInspectDocument> ForImageInspect(ReportSettings settings) =>
        new("image inspect", new ImageInspectTableWriter(settings), new ImageInspectJsonWriter(settings));

    public static ReportWriters<ImageFilesDocument> ForImageFiles(ReportSettings settings) =>
        new("image files", new ImageFilesTableWriter(), new ImageFilesJsonWriter(settings));

    public static ReportWriters<ImageExtractDocument> ForImageExtract(ReportSettings settings) =>
        new("image extract", new ImageExtractTextWriter(), new ImageExtractJsonWriter(settings));

    public static ReportWriters<RuleListDocument> ForRuleList(ReportSettings settings) =>
        new("rules list", new RuleListTableWriter(settings), new RuleListJsonWriter(settings));

    public static ReportWriters<RuleDocument> ForRule(ReportSettings settings) =>
        new("rules explain", new RuleMarkdownWriter(), new RuleJsonWriter(settings));
}
