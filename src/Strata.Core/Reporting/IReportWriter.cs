namespace Strata.Core.Reporting;

using Strata.Core.Rules;
using Strata.Core.Scanning;

/// <summary>Renders a scan report in one output format.</summary>
public interface IReportWriter
{
    /// <summary>The name given to --format.</summary>
    string Format { get; }

    Task WriteAsync(ScanReport report, RuleCatalog catalog, Stream output, CancellationToken cancellationToken);
}

/// <summary>Chooses the writer for a --format value.</summary>
public sealed class ReportWriterFactory
{
    private readonly Dictionary<string, IReportWriter> writers;

    public ReportWriterFactory(IEnumerable<IReportWriter> writers)
    {
        this.writers = writers.ToDictionary(w => w.Format, StringComparer.OrdinalIgnoreCase);
    }

    public static ReportWriterFactory Default(bool colour = false) => new([new TableReportWriter(colour), new JsonReportWriter(), new SarifReportWriter()]);

    public IEnumerable<string> Formats => writers.Keys;

    public IReportWriter Get(string format) =>
        writers.TryGetValue(format, out var writer)
            ? writer
            : throw Strata.Core.StrataException.Usage($"Unknown format '{format}'; expected one of {string.Join(", ", writers.Keys)}.");
}
