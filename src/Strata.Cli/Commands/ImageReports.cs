namespace Strata.Cli.Commands;

using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Core.Findings;
using Strata.Oci;
using Strata.Oci.Extraction;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;

/// <summary>
/// Renders <c>strata image</c> results as a table or as JSON (shape documented in docs/json-schema.md).
/// Environment values are always redacted: they often hold tokens and passwords.
/// </summary>
internal static class ImageReports
{
    public const string SchemaVersion = "1.0";

    private const int CreatedByWidth = 72;

    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true };

    private static readonly string[] LayerHeader = ["#", "DIGEST", "SIZE", "DIFF ID", "ADDED", "CHANGED", "DELETED", "WASTED", "CREATED BY"];

    private static readonly int[] LayerLeftAligned = [1, 3, 8];

    private static readonly string[] FileHeader = ["MODE", "OCTAL", "UID", "GID", "SIZE", "ADDED", "MODIFIED", "DELETED", "PATH"];

    private static readonly int[] FileLeftAligned = [0, 5, 6, 7, 8];

    public static async Task WriteInspectTableAsync(ResolvedImage image, ImageSummary summary, Stream stream, CancellationToken cancellationToken)
    {
        var config = summary.Config;
        var text = new StringBuilder();
        void Field(string name, string value) => text.Append(CultureInfo.InvariantCulture, $"{name + ":",-13}{value}\n");
        void List(string name, IEnumerable<string> values)
        {
            var first = true;
            foreach (var value in values)
            {
                Field(first ? name : string.Empty, value);
                first = false;
            }

            if (first)
            {
                Field(name, "(none)");
            }
        }

        Field("Image", summary.Reference);
        Field("Manifest", $"{summary.ManifestDigest} ({summary.ManifestMediaType}{(summary.ManifestSynthesized ? ", synthesized from the archive" : string.Empty)})");
        foreach (var index in summary.IndexDigests)
        {
            Field("Index", index.ToString());
        }

        Field("Platform", PlatformText(image));
        Field("Config", summary.ConfigDigest.ToString());
        if (config.Created is { } created)
        {
            Field("Created", created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(config.Author))
        {
            Field("Author", config.Author);
        }

        Field("User", string.IsNullOrEmpty(config.User) ? "(not set: root)" : config.User);
        Field("Entrypoint", config.Entrypoint is null ? "(not set)" : JsonSerializer.Serialize(config.Entrypoint));
        Field("Cmd", config.Cmd is null ? "(not set)" : JsonSerializer.Serialize(config.Cmd));
        Field("WorkingDir", string.IsNullOrEmpty(config.WorkingDir) ? "(not set: /)" : config.WorkingDir);
        List("Env", config.Env.Select(e => EnvName(e) + "=" + EnvValue(e)));
        List("Ports", config.ExposedPorts);
        List("Volumes", config.Volumes);
        List("Labels", config.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        if (config.Healthcheck is { } check)
        {
            Field("Healthcheck", JsonSerializer.Serialize(check.Test));
        }

        if (!string.IsNullOrEmpty(config.StopSignal))
        {
            Field("StopSignal", config.StopSignal);
        }

        text.Append("\nLayers:\n");
        var rows = new List<string[]> { LayerHeader };
        foreach (var layer in summary.Layers)
        {
            rows.Add([
                layer.Index.ToString(CultureInfo.InvariantCulture),
                Short(layer.Digest.ToString()),
                Bytes(layer.Size),
                Short(layer.DiffId.ToString()),
                layer.FilesAdded.ToString(CultureInfo.InvariantCulture),
                layer.FilesModified.ToString(CultureInfo.InvariantCulture),
                layer.FilesDeleted.ToString(CultureInfo.InvariantCulture),
                Bytes(layer.WastedBytes),
                Truncate(OneLine(layer.CreatedBy ?? "(no history)"), CreatedByWidth),
            ]);
        }

        AppendTable(text, rows, LayerLeftAligned);
        var total = summary.Layers.Sum(l => l.Size);
        text.Append(CultureInfo.InvariantCulture, $"{summary.Layers.Count} layers, {Bytes(total)} compressed; wasted {Bytes(summary.WastedBytes)} ({summary.WastedBytes} bytes overwritten or deleted by a later layer)\n");
        await WriteTextAsync(text.ToString(), stream, cancellationToken);
    }

    public static async Task WriteInspectJsonAsync(ImageSummary summary, Stream stream, CancellationToken cancellationToken)
    {
        var config = summary.Config;
        await using var json = new Utf8JsonWriter(stream, JsonOptions);
        json.WriteStartObject();
        json.WriteString("schemaVersion", SchemaVersion);
        json.WriteString("reference", summary.Reference);
        json.WriteStartObject("manifest");
        json.WriteString("digest", summary.ManifestDigest.ToString());
        json.WriteString("mediaType", summary.ManifestMediaType);
        json.WriteBoolean("synthesized", summary.ManifestSynthesized);
        json.WriteEndObject();
        json.WriteStartArray("indexDigests");
        foreach (var index in summary.IndexDigests)
        {
            json.WriteStringValue(index.ToString());
        }

        json.WriteEndArray();
        json.WriteStartObject("platform");
        json.WriteString("os", config.Os);
        json.WriteString("architecture", config.Architecture);
        if (config.Variant is not null)
        {
            json.WriteString("variant", config.Variant);
        }

        json.WriteEndObject();

        json.WriteStartObject("config");
        json.WriteString("digest", summary.ConfigDigest.ToString());
        WriteNullable(json, "created", config.Created?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        WriteNullable(json, "author", config.Author);
        WriteNullable(json, "user", config.User);
        WriteStrings(json, "entrypoint", config.Entrypoint);
        WriteStrings(json, "cmd", config.Cmd);
        WriteNullable(json, "workingDir", config.WorkingDir);
        json.WriteStartArray("env");
        foreach (var variable in config.Env)
        {
            json.WriteStartObject();
            json.WriteString("name", EnvName(variable));
            json.WriteString("value", EnvValue(variable));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteStrings(json, "exposedPorts", config.ExposedPorts);
        WriteStrings(json, "volumes", config.Volumes);
        json.WriteStartObject("labels");
        foreach (var (key, value) in config.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        WriteStrings(json, "healthcheck", config.Healthcheck?.Test);
        WriteNullable(json, "stopSignal", config.StopSignal);
        json.WriteEndObject();

        json.WriteStartArray("layers");
        foreach (var layer in summary.Layers)
        {
            json.WriteStartObject();
            json.WriteNumber("index", layer.Index);
            json.WriteString("digest", layer.Digest.ToString());
            json.WriteString("mediaType", layer.MediaType);
            json.WriteNumber("size", layer.Size);
            json.WriteString("diffId", layer.DiffId.ToString());
            WriteNullable(json, "createdBy", layer.CreatedBy);
            json.WriteNumber("entries", layer.Entries);
            json.WriteNumber("filesAdded", layer.FilesAdded);
            json.WriteNumber("filesModified", layer.FilesModified);
            json.WriteNumber("filesDeleted", layer.FilesDeleted);
            json.WriteNumber("contentBytes", layer.ContentBytes);
            json.WriteNumber("wastedBytes", layer.WastedBytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("totalSize", summary.Layers.Sum(l => l.Size));
        json.WriteNumber("wastedBytes", summary.WastedBytes);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public static async Task WriteFilesTableAsync(FileQuery query, IReadOnlyList<FileListing> files, Stream stream, CancellationToken cancellationToken)
    {
        var rows = new List<string[]> { FileHeader };
        foreach (var file in files)
        {
            var path = "/" + file.Path + file.Type switch
            {
                EntryType.Symlink => " -> " + file.LinkTarget,
                EntryType.HardLink => " link to /" + file.LinkTarget,
                _ => string.Empty,
            };
            rows.Add([
                file.ModeString,
                Octal(file.Mode),
                file.Uid.ToString(CultureInfo.InvariantCulture),
                file.Gid.ToString(CultureInfo.InvariantCulture),
                file.Size.ToString(CultureInfo.InvariantCulture),
                file.AddedInLayer.ToString(CultureInfo.InvariantCulture),
                Layers(file.ModifiedInLayers),
                Layers(file.DeletedInLayers),
                file.Exists ? path : path + " (deleted)",
            ]);
        }

        var text = new StringBuilder();
        AppendTable(text, rows, FileLeftAligned);
        text.Append(CultureInfo.InvariantCulture, $"{files.Count} {(query.DeletedOnly ? "deleted paths" : "paths")}{(query.Layer is int layer ? $" touched by layer {layer}" : string.Empty)}\n");
        await WriteTextAsync(text.ToString(), stream, cancellationToken);
    }

    public static async Task WriteFilesJsonAsync(ResolvedImage image, FileQuery query, IReadOnlyList<FileListing> files, Stream stream, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(stream, JsonOptions);
        json.WriteStartObject();
        json.WriteString("schemaVersion", SchemaVersion);
        json.WriteString("reference", image.Reference);
        json.WriteString("manifestDigest", image.ManifestDigest.ToString());
        if (query.Layer is int layer)
        {
            json.WriteNumber("layer", layer);
        }
        else
        {
            json.WriteNull("layer");
        }

        json.WriteBoolean("deletedOnly", query.DeletedOnly);
        json.WriteStartArray("files");
        foreach (var file in files)
        {
            json.WriteStartObject();
            json.WriteString("path", "/" + file.Path);
            json.WriteString("type", TypeName(file.Type));
            json.WriteString("mode", file.ModeString);
            json.WriteString("modeOctal", Octal(file.Mode));
            json.WriteNumber("uid", file.Uid);
            json.WriteNumber("gid", file.Gid);
            json.WriteNumber("size", file.Size);
            WriteNullable(json, "linkTarget", file.Type == EntryType.HardLink && file.LinkTarget is not null ? "/" + file.LinkTarget : file.LinkTarget);
            json.WriteBoolean("exists", file.Exists);
            json.WriteNumber("addedInLayer", file.AddedInLayer);
            WriteNumbers(json, "modifiedInLayers", file.ModifiedInLayers);
            WriteNumbers(json, "deletedInLayers", file.DeletedInLayers);
            WriteNullable(json, "createdBy", file.CreatedBy);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public static string ExtractionLine(ResolvedImage image, string directory, ExtractionReport report) => string.Create(
        CultureInfo.InvariantCulture,
        $"extracted {image.Reference} (manifest {image.ManifestDigest}) into {directory}: {report.Files} files, {report.Directories} directories, {report.Symlinks} symlinks, {report.HardLinks} hard links, {report.BytesWritten} bytes{(report.Skipped.Count > 0 ? $"; {report.Skipped.Count} device nodes or FIFOs not created" : string.Empty)}");

    public static async Task WriteExtractionJsonAsync(ResolvedImage image, string directory, ExtractionReport report, Stream stream, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(stream, JsonOptions);
        json.WriteStartObject();
        json.WriteString("schemaVersion", SchemaVersion);
        json.WriteString("reference", image.Reference);
        json.WriteString("manifestDigest", image.ManifestDigest.ToString());
        json.WriteString("directory", directory);
        json.WriteNumber("files", report.Files);
        json.WriteNumber("directories", report.Directories);
        json.WriteNumber("symlinks", report.Symlinks);
        json.WriteNumber("hardLinks", report.HardLinks);
        json.WriteNumber("bytesWritten", report.BytesWritten);
        WriteStrings(json, "skipped", report.Skipped);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public static async Task WriteTextAsync(string text, Stream stream, CancellationToken cancellationToken) =>
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    internal static string EnvName(string variable) => variable.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? variable[..equals] : variable;

    /// <summary>Every value redacted, however harmless it looks: telling harmless from secret is the secret scanner's job.</summary>
    internal static string EnvValue(string variable) =>
        variable.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? Redaction.Redact(variable[(equals + 1)..]) : string.Empty;

    internal static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB"),
    };

    private static string PlatformText(ResolvedImage image)
    {
        var config = image.Config;
        var platform = config.Variant is null ? $"{config.Os}/{config.Architecture}" : $"{config.Os}/{config.Architecture}/{config.Variant}";
        return image.SelectedPlatform is { } selected && selected.ToString() != platform ? $"{platform} (index entry says {selected})" : platform;
    }

    private static string TypeName(EntryType type) => type switch
    {
        EntryType.File => "file",
        EntryType.Directory => "directory",
        EntryType.Symlink => "symlink",
        EntryType.HardLink => "hardlink",
        EntryType.CharDevice => "char-device",
        EntryType.BlockDevice => "block-device",
        EntryType.Fifo => "fifo",
        EntryType.Whiteout => "whiteout",
        EntryType.OpaqueWhiteout => "opaque-whiteout",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string Octal(int mode) => Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0');

    private static string Layers(IReadOnlyList<int> layers) => layers.Count == 0 ? "-" : string.Join(',', layers);

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Truncate(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "…");

    /// <summary>Columns padded to their widest cell; the last column is never padded.</summary>
    private static void AppendTable(StringBuilder text, List<string[]> rows, int[] leftAligned)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            for (var i = 0; i < row.Length; i++)
            {
                var last = i == row.Length - 1;
                var cell = last ? row[i] : r == 0 || leftAligned.Contains(i) ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i]);
                text.Append(cell);
                if (!last)
                {
                    text.Append("  ");
                }
            }

            text.Append('\n');
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string>? values)
    {
        if (values is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IEnumerable<int> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }
}
