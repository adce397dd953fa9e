namespace Strata.Reporting.Images;

using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Oci.Layers;

/// <summary><c>strata image files</c> as text: one row per path, the path last and never cut.</summary>
public sealed class ImageFilesTableWriter : IReportWriter<ImageFilesDocument>
{
    private static readonly string[] Header = ["MODE", "OCTAL", "UID", "GID", "SIZE", "ADDED", "MODIFIED", "DELETED", "PATH"];

    private static readonly int[] LeftAligned = [0, 5, 6, 7, 8];

    public string Format => "table";

    public async Task WriteAsync(ImageFilesDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var rows = new List<string[]> { Header };
        foreach (var file in document.Files)
        {
            var path = "/" + file.Path + file.Type switch
            {
                EntryType.Symlink => " -> " + file.LinkTarget,
                EntryType.HardLink => " link to /" + file.LinkTarget,
                _ => string.Empty,
            };
            rows.Add([
                file.ModeString,
                ImageText.Octal(file.Mode),
                file.Uid.ToString(CultureInfo.InvariantCulture),
                file.Gid.ToString(CultureInfo.InvariantCulture),
                file.Size.ToString(CultureInfo.InvariantCulture),
                file.AddedInLayer.ToString(CultureInfo.InvariantCulture),
                ImageText.ImageLayers(file.ModifiedInLayers),
                ImageText.ImageLayers(file.DeletedInLayers),
                file.Exists ? path : path + " (deleted)",
            ]);
        }

        var text = new StringBuilder();
        TextTable.Append(text, rows, LeftAligned);
        var what = document.DeletedOnly ? "deleted paths" : "paths";
        var touched = document.ImageLayer is int layer ? string.Create(CultureInfo.InvariantCulture, $" touched by image layer {layer}") : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"{document.Files.Count} {what}{touched}; ADDED, MODIFIED and DELETED are image layers (0 = the base)\n");
        await DisplayText.WriteAsync(text.ToString(), output, cancellationToken);
    }
}

/// <summary><c>strata image files --format json</c> (<c>kind: image-files</c>), documented in docs/json-schema.md.</summary>
public sealed class ImageFilesJsonWriter(ReportSettings settings) : IReportWriter<ImageFilesDocument>
{
    public string Format => "json";

    public async Task WriteAsync(ImageFilesDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var json = new Utf8JsonWriter(output, ReportSchema.WriterOptions);
        ReportSchema.WriteStart(json, "image-files", settings.ToolVersion);
        json.WriteString("reference", document.Image.Reference);
        json.WriteString("manifestDigest", document.Image.ManifestDigest.ToString());
        if (document.ImageLayer is int layer)
        {
            json.WriteNumber("imageLayer", layer);
        }
        else
        {
            json.WriteNull("imageLayer");
        }

        json.WriteBoolean("deletedOnly", document.DeletedOnly);
        json.WriteStartArray("files");
        foreach (var file in document.Files)
        {
            json.WriteStartObject();
            json.WriteString("path", "/" + file.Path);
            json.WriteString("type", ImageText.TypeName(file.Type));
            json.WriteString("mode", file.ModeString);
            json.WriteString("modeOctal", ImageText.Octal(file.Mode));
            json.WriteNumber("uid", file.Uid);
            json.WriteNumber("gid", file.Gid);
            json.WriteNumber("size", file.Size);
            ReportSchema.WriteNullable(json, "linkTarget", file.Type == EntryType.HardLink && file.LinkTarget is not null ? "/" + file.LinkTarget : file.LinkTarget);
            json.WriteBoolean("exists", file.Exists);
            json.WriteNumber("addedInImageLayer", file.AddedInLayer);
            ReportSchema.WriteNumbers(json, "modifiedInImageLayers", file.ModifiedInLayers);
            ReportSchema.WriteNumbers(json, "deletedInImageLayers", file.DeletedInLayers);
            ReportSchema.WriteNullable(json, "createdBy", file.CreatedBy);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }
}
