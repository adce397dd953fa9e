namespace Strata.Reporting.Images;

using System.Globalization;
using System.Text;
using System.Text.Json;

/// <summary>
/// <c>strata image inspect</c> as text: the manifest and config as fields, then one row per image layer.
/// Environment values are always redacted: they often hold tokens and passwords.
/// </summary>
public sealed class ImageInspectTableWriter(ReportSettings settings) : IReportWriter<ImageInspectDocument>
{
    /// <summary>Narrower than this, the diff ID column (also in the JSON) makes room for the build step.</summary>
    private const int DiffIdWidth = 120;

    private const int DiffIdColumn = 3;

    private static readonly string[] Header = ["#", "DIGEST", "SIZE", "DIFF ID", "ADDED", "CHANGED", "DELETED", "WASTED", "CREATED BY"];

    public string Format => "table";

    public async Task WriteAsync(ImageInspectDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var summary = document.Summary;
        var config = summary.Config;
        var text = new StringBuilder();
        void Field(string name, string value) => text.Append(CultureInfo.InvariantCulture, $"{name + ":",-13}{DisplayText.OneLine(value)}\n");
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

        Field("Platform", ImageText.Platform(document.Image));
        Field("Config", summary.ConfigDigest.ToString());
        if (config.Created is { } created)
        {
            Field("Created", ImageText.Timestamp(created));
        }

        if (!string.IsNullOrEmpty(config.Author))
        {
            Field("Author", config.Author);
        }

        Field("User", string.IsNullOrEmpty(config.User) ? "(not set: root)" : config.User);
        Field("Entrypoint", config.Entrypoint is null ? "(not set)" : JsonSerializer.Serialize(config.Entrypoint, ImageConfigJson.Default.IReadOnlyListString));
        Field("Cmd", config.Cmd is null ? "(not set)" : JsonSerializer.Serialize(config.Cmd, ImageConfigJson.Default.IReadOnlyListString));
        Field("WorkingDir", string.IsNullOrEmpty(config.WorkingDir) ? "(not set: /)" : config.WorkingDir);
        List("Env", config.Env.Select(e => ImageText.EnvName(e) + "=" + ImageText.EnvValue(e)));
        List("Ports", config.ExposedPorts);
        List("Volumes", config.Volumes);
        List("Labels", config.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        if (config.Healthcheck is { } check)
        {
            Field("Healthcheck", JsonSerializer.Serialize(check.Test, ImageConfigJson.Default.IReadOnlyListString));
        }

        if (!string.IsNullOrEmpty(config.StopSignal))
        {
            Field("StopSignal", config.StopSignal);
        }

        text.Append("\nImage layers (0 = the base):\n");
        var rows = new List<string[]> { Header };
        foreach (var layer in summary.Layers)
        {
            rows.Add([
                layer.Index.ToString(CultureInfo.InvariantCulture),
                ImageText.Short(layer.Digest.ToString()),
                ImageText.Bytes(layer.Size),
                ImageText.Short(layer.DiffId.ToString()),
                layer.FilesAdded.ToString(CultureInfo.InvariantCulture),
                layer.FilesModified.ToString(CultureInfo.InvariantCulture),
                layer.FilesDeleted.ToString(CultureInfo.InvariantCulture),
                ImageText.Bytes(layer.WastedBytes),
                layer.CreatedBy ?? "(no history)",
            ]);
        }

        var wide = settings.Width >= DiffIdWidth;
        TextTable.Append(
            text,
            wide ? rows : [.. rows.Select(r => r.Where((_, i) => i != DiffIdColumn).ToArray())],
            wide ? [1, 3, 8] : [1, 7],
            settings.Width);
        var total = summary.Layers.Sum(l => l.Size);
        text.Append(CultureInfo.InvariantCulture, $"{summary.Layers.Count} image layers, {ImageText.Bytes(total)} compressed; wasted {ImageText.Bytes(summary.WastedBytes)} ({summary.WastedBytes} bytes overwritten or deleted by a later image layer)\n");
        var encrypted = summary.Layers.Where(l => l.Encryption is not null).ToList();
        if (encrypted.Count > 0)
        {
            text.Append("\nEncrypted image layers (ocicrypt):\n");
            foreach (var layer in encrypted)
            {
                var encryption = layer.Encryption!;
                text.Append(CultureInfo.InvariantCulture, $"  {layer.Index}: {string.Join(", ", encryption.Schemes)}; {(encryption.Decrypted ? "decrypted with the key given" : "not read (no --decryption-key): its files are not counted")}\n");
                foreach (var recipient in encryption.Recipients)
                {
                    text.Append(CultureInfo.InvariantCulture, $"     recipient: {recipient}\n");
                }
            }
        }

        await DisplayText.WriteAsync(text.ToString(), output, cancellationToken);
    }
}

/// <summary><c>strata image inspect --format json</c> (<c>kind: image-inspect</c>), documented in docs/json-schema.md.</summary>
public sealed class ImageInspectJsonWriter(ReportSettings settings) : IReportWriter<ImageInspectDocument>
{
    public string Format => "json";

    public async Task WriteAsync(ImageInspectDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var summary = document.Summary;
        var config = summary.Config;
        await using var json = new Utf8JsonWriter(output, ReportSchema.WriterOptions);
        ReportSchema.WriteStart(json, "image-inspect", settings.ToolVersion);
        json.WriteString("reference", summary.Reference);
        json.WriteStartObject("manifest");
        json.WriteString("digest", summary.ManifestDigest.ToString());
        json.WriteString("mediaType", summary.ManifestMediaType);
        json.WriteBoolean("synthesized", summary.ManifestSynthesized);
        json.WriteEndObject();
        ReportSchema.WriteStrings(json, "indexDigests", summary.IndexDigests.Select(d => d.ToString()));
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
        ReportSchema.WriteNullable(json, "created", config.Created is { } created ? ImageText.Timestamp(created) : null);
        ReportSchema.WriteNullable(json, "author", config.Author);
        ReportSchema.WriteNullable(json, "user", config.User);
        ReportSchema.WriteStrings(json, "entrypoint", config.Entrypoint);
        ReportSchema.WriteStrings(json, "cmd", config.Cmd);
        ReportSchema.WriteNullable(json, "workingDir", config.WorkingDir);
        json.WriteStartArray("env");
        foreach (var variable in config.Env)
        {
            json.WriteStartObject();
            json.WriteString("name", ImageText.EnvName(variable));
            json.WriteString("value", ImageText.EnvValue(variable));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        ReportSchema.WriteStrings(json, "exposedPorts", config.ExposedPorts);
        ReportSchema.WriteStrings(json, "volumes", config.Volumes);
        json.WriteStartObject("labels");
        foreach (var (key, value) in config.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        ReportSchema.WriteStrings(json, "healthcheck", config.Healthcheck?.Test);
        ReportSchema.WriteNullable(json, "stopSignal", config.StopSignal);
        json.WriteEndObject();

        json.WriteStartArray("imageLayers");
        foreach (var layer in summary.Layers)
        {
            json.WriteStartObject();
            json.WriteNumber("index", layer.Index);
            json.WriteString("digest", layer.Digest.ToString());
            json.WriteString("mediaType", layer.MediaType);
            json.WriteNumber("size", layer.Size);
            json.WriteString("diffId", layer.DiffId.ToString());
            ReportSchema.WriteNullable(json, "createdBy", layer.CreatedBy);
            json.WriteNumber("entries", layer.Entries);
            json.WriteNumber("filesAdded", layer.FilesAdded);
            json.WriteNumber("filesModified", layer.FilesModified);
            json.WriteNumber("filesDeleted", layer.FilesDeleted);
            json.WriteNumber("contentBytes", layer.ContentBytes);
            json.WriteNumber("wastedBytes", layer.WastedBytes);
            if (layer.Encryption is { } encryption)
            {
                json.WriteStartObject("encryption");
                ReportSchema.WriteStrings(json, "schemes", encryption.Schemes);
                ReportSchema.WriteStrings(json, "recipients", encryption.Recipients);
                json.WriteBoolean("decrypted", encryption.Decrypted);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("encryption");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("totalSize", summary.Layers.Sum(l => l.Size));
        json.WriteNumber("wastedBytes", summary.WastedBytes);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }
}
