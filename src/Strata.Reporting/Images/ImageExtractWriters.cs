namespace Strata.Reporting.Images;

using System.Globalization;
using System.Text.Json;

/// <summary><c>strata image extract</c> as one line: what was written where.</summary>
public sealed class ImageExtractTextWriter : IReportWriter<ImageExtractDocument>
{
    public string Format => "text";

    public static string Line(ImageExtractDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var report = document.Extraction;
        var skipped = report.Skipped.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {report.Skipped.Count} device nodes or FIFOs not created") : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"extracted {document.Image.Reference} (manifest {document.Image.ManifestDigest}) into {document.Directory}: {report.Files} files, {report.Directories} directories, {report.Symlinks} symlinks, {report.HardLinks} hard links, {report.BytesWritten} bytes{skipped}");
    }

    public Task WriteAsync(ImageExtractDocument document, Stream output, CancellationToken cancellationToken) =>
        DisplayText.WriteAsync(DisplayText.OneLine(Line(document)) + "\n", output, cancellationToken);
}

/// <summary><c>strata image extract --format json</c> (<c>kind: image-extract</c>), documented in docs/json-schema.md.</summary>
public sealed class ImageExtractJsonWriter(ReportSettings settings) : IReportWriter<ImageExtractDocument>
{
    public string Format => "json";

    public async Task WriteAsync(ImageExtractDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var report = document.Extraction;
        await using var json = new Utf8JsonWriter(output, ReportSchema.WriterOptions);
        ReportSchema.WriteStart(json, "image-extract", settings.ToolVersion);
        json.WriteString("reference", document.Image.Reference);
        json.WriteString("manifestDigest", document.Image.ManifestDigest.ToString());
        json.WriteString("directory", document.FullDirectory);
        json.WriteNumber("files", report.Files);
        json.WriteNumber("directories", report.Directories);
        json.WriteNumber("symlinks", report.Symlinks);
        json.WriteNumber("hardLinks", report.HardLinks);
        json.WriteNumber("bytesWritten", report.BytesWritten);
        ReportSchema.WriteStrings(json, "skipped", report.Skipped);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }
}
