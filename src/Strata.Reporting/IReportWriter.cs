namespace Strata.Reporting;

using Strata.Core;
using Strata.Core.Findings;

/// <summary>Renders one kind of document (a scan report, an image listing, the rule catalog) in one output format.</summary>
/// <typeparam name="TDocument">What is rendered, e.g. <see cref="ScanDocument"/>.</typeparam>
public interface IReportWriter<in TDocument>
{
    /// <summary>The name given to <c>--format</c>.</summary>
    string Format { get; }

    Task WriteAsync(TDocument document, Stream output, CancellationToken cancellationToken);
}

/// <summary>
/// The writers of one kind of document, chosen by <c>--format</c>. The first is the default; the CLI lists
/// <see cref="Formats"/> in its help, so no command names a format the writers do not have.
/// </summary>
public sealed class ReportWriters<TDocument>
{
    private readonly IReportWriter<TDocument>[] writers;

    public ReportWriters(string command, params IReportWriter<TDocument>[] writers)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentOutOfRangeException.ThrowIfZero(writers.Length);
        Command = command;
        this.writers = writers;
    }

    /// <summary>The command whose output these are, e.g. <c>image inspect</c>, for messages.</summary>
    public string Command { get; }

    public IReadOnlyList<string> Formats => [.. writers.Select(w => w.Format)];

    public string DefaultFormat => writers[0].Format;

    /// <summary>The formats as a sentence: "table, json or sarif".</summary>
    public string FormatList => Formats.Count == 1 ? Formats[0] : $"{string.Join(", ", Formats.Take(Formats.Count - 1))} or {Formats[^1]}";

    public bool Supports(string format) => Find(format) is not null;

    public IReportWriter<TDocument> Get(string format) =>
        Find(format) ?? throw StrataException.Usage(UnsupportedMessage(format));

    /// <summary>"--format xml: scan writes table, json or sarif."</summary>
    public string UnsupportedMessage(string format) => $"--format {Redaction.Quote(format)}: {Command} writes {FormatList}.";

    private IReportWriter<TDocument>? Find(string format) =>
        writers.FirstOrDefault(w => string.Equals(w.Format, format, StringComparison.OrdinalIgnoreCase));
}
