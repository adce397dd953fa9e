namespace Strata.Oci.Model;

using Strata.Core;
using Strata.Core.Findings;

/// <summary>The parts of an image config (OCI or Docker) that Strata reads.</summary>
public sealed record ImageConfig
{
    public string Os { get; init; } = string.Empty;

    public string Architecture { get; init; } = string.Empty;

    public string? Variant { get; init; }

    public DateTimeOffset? Created { get; init; }

    public string? Author { get; init; }

    public string? User { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public IReadOnlyList<string> Volumes { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public Healthcheck? Healthcheck { get; init; }

    public string? WorkingDir { get; init; }

    public string? StopSignal { get; init; }

    public IReadOnlyList<Digest> DiffIds { get; init; } = [];

    public IReadOnlyList<HistoryEntry> History { get; init; } = [];

    public static ImageConfig Parse(ReadOnlyMemory<byte> bytes, string what, Limits? limits = null)
    {
        using var document = JsonFields.Parse(bytes, what, limits);
        var root = JsonFields.Root(document, what);
        var rootfs = root.Object("rootfs") ?? throw root.Fail("required object 'rootfs' is missing.");
        var rootfsType = rootfs.String("type");
        if (rootfsType is not null && rootfsType != "layers")
        {
            throw rootfs.Fail($"type '{Redaction.Quote(rootfsType, 100)}' is not supported (expected 'layers').");
        }

        var diffIds = new List<Digest>();
        foreach (var item in rootfs.Array("diff_ids"))
        {
            var text = item.Element.ValueKind == System.Text.Json.JsonValueKind.String ? item.Element.GetString() : null;
            diffIds.Add(Digest.TryParse(text, out var diffId) ? diffId : throw item.Fail("not a valid digest (expected sha256:<64 hex>)."));
        }

        var history = new List<HistoryEntry>();
        foreach (var item in root.Array("history"))
        {
            history.Add(new HistoryEntry(
                ParseTime(item.String("created")),
                item.String("created_by"),
                item.String("author"),
                item.String("comment"),
                item.Boolean("empty_layer") ?? false));
        }

        var config = root.Object("config");
        Healthcheck? healthcheck = null;
        if (config?.Object("Healthcheck") is { } check)
        {
            healthcheck = new Healthcheck(
                check.StringArray("Test"),
                Nanoseconds(check.Int64("Interval")),
                Nanoseconds(check.Int64("Timeout")),
                Nanoseconds(check.Int64("StartPeriod")),
                check.Int64("Retries"));
        }

        return new ImageConfig
        {
            Os = root.String("os") ?? string.Empty,
            Architecture = root.String("architecture") ?? string.Empty,
            Variant = root.String("variant"),
            Created = ParseTime(root.String("created")),
            Author = root.String("author"),
            User = config?.String("User"),
            Env = config?.StringArray("Env") ?? [],
            Entrypoint = config is { } c1 && c1.Has("Entrypoint") ? c1.StringArray("Entrypoint") : null,
            Cmd = config is { } c2 && c2.Has("Cmd") ? c2.StringArray("Cmd") : null,
            ExposedPorts = config?.KeySet("ExposedPorts") ?? [],
            Volumes = config?.KeySet("Volumes") ?? [],
            Labels = config?.StringMap("Labels") ?? new Dictionary<string, string>(),
            Healthcheck = healthcheck,
            WorkingDir = config?.String("WorkingDir"),
            StopSignal = config?.String("StopSignal"),
            DiffIds = diffIds,
            History = history,
        };
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static TimeSpan? Nanoseconds(long? value) => value is long ns ? TimeSpan.FromTicks(ns / 100) : null;
}

/// <summary>A Dockerfile-style HEALTHCHECK.</summary>
public sealed record Healthcheck(IReadOnlyList<string> Test, TimeSpan? Interval, TimeSpan? Timeout, TimeSpan? StartPeriod, long? Retries);

/// <summary>One build step from the config's history.</summary>
public sealed record HistoryEntry(DateTimeOffset? Created, string? CreatedBy, string? Author, string? Comment, bool EmptyLayer);
