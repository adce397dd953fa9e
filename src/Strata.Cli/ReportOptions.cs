namespace Strata.Cli;

using System.CommandLine;
using Strata.Reporting;

/// <summary><c>--format</c> and <c>--output</c> of one command, and writing its document with the chosen writer.</summary>
internal sealed class ReportOptions<TDocument>
{
    public ReportOptions(ReportWriters<TDocument> writers, SharedOptions shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        Writers = writers;
        Format = SharedOptions.Format(writers);
        Output = shared.Output;
    }

    public ReportWriters<TDocument> Writers { get; }

    public Option<string> Format { get; }

    public Option<string?> Output { get; }

    public void AddTo(Command command) => SharedOptions.Add(command, Format, Output);

    public IReportWriter<TDocument> Writer(ParseResult parse) => Writers.Get(parse.GetValue(Format)!);

    public Task WriteAsync(ParseResult parse, CliIo io, TDocument document, CancellationToken cancellationToken)
    {
        var writer = Writer(parse);
        return ReportOutput.WriteAsync(io, parse.GetValue(Output), stream => writer.WriteAsync(document, stream, cancellationToken));
    }
}
