namespace Strata.Reporting.Scan;

using System.Globalization;
using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Targets;

/// <summary>
/// Where a finding is, in SARIF terms. A file on disk is an artifact URI relative to the one root
/// (<see cref="SarifReportWriter.SourceRoot"/>, the working directory), or an absolute <c>file://</c> URI when it
/// lies outside it; a path inside a root filesystem target is that file on disk. What is inside an image is not
/// on disk: it is a logical location (image → image layer → path, or image → config → JSON path, SARIF §3.33)
/// and, for a path, a nested artifact (image → image layer → file, §3.24.3) whose URI is the absolute path
/// inside the image.
/// </summary>
internal sealed class SarifLocations
{
    private readonly string root;
    private readonly Dictionary<string, ScanTarget> targets = new(StringComparer.Ordinal);
    private readonly List<Artifact> artifacts = [];
    private readonly Dictionary<string, int> artifactIndex = new(StringComparer.Ordinal);
    private readonly List<Logical> logicals = [];
    private readonly Dictionary<string, int> logicalIndex = new(StringComparer.Ordinal);

    public SarifLocations(string workingDirectory, IEnumerable<ScanTarget> scanned)
    {
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workingDirectory));
        RootUri = root.EndsWith('/') ? FileUri(root) : FileUri(root) + "/";
        foreach (var target in scanned)
        {
            targets.TryAdd(target.Name, target);
        }
    }

    /// <summary>The working directory as an absolute file URI ending in '/'.</summary>
    public string RootUri { get; }

    /// <summary>A physical location (URI, its base, the run artifact it names) and a logical one; either may be missing.</summary>
    public sealed record Placed(string? Uri, string? UriBaseId, int? ArtifactIndex, LogicalRef? Logical);

    /// <summary>A logical location: <paramref name="Index"/> into run.logicalLocations when it is part of a hierarchy.</summary>
    public sealed record LogicalRef(int? Index, string? Name, string FullyQualifiedName, string Kind);

    private sealed record Artifact(string? Uri, string? Description, string? Sha256, int ParentIndex);

    private sealed record Logical(string Name, string FullyQualifiedName, string Kind, int ParentIndex);

    public Placed Place(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var target = targets.GetValueOrDefault(finding.Target);
        if (target?.Kind == TargetKind.Image)
        {
            return PlaceInImage(finding.Target, finding.Location);
        }

        var location = finding.Location;
        var file = location.Path is not null && target?.Kind == TargetKind.RootFs
            ? Path.Combine(target.Locator, location.Path.TrimStart('/'))
            : location.File;
        var (uri, baseId) = file is null ? (null, null) : ArtifactUri(file);

        // A file alone needs no logical location; a JSON path, a subject (syscall, capability, Kubernetes object)
        // or a target with nothing else to point at does.
        var where = location.JsonPath ?? location.Subject ?? (file is null ? location.Path : null);
        LogicalRef? logical = where is not null
            ? new LogicalRef(null, null, $"{finding.Target}#{where}", location.JsonPath is not null ? "object" : location.Subject is not null ? "variable" : "resource")
            : uri is null ? new LogicalRef(null, null, finding.Target, "module") : null;
        return new Placed(uri, baseId, null, logical);
    }

    /// <summary>Writes one <c>location</c> object of a result.</summary>
    public static void WriteLocation(Utf8JsonWriter json, Location location, Placed where)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(where);
        json.WriteStartObject();
        if (where.Uri is not null)
        {
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            json.WriteString("uri", where.Uri);
            ReportSchema.WriteIfSet(json, "uriBaseId", where.UriBaseId);
            if (where.ArtifactIndex is int artifact)
            {
                json.WriteNumber("index", artifact);
            }

            json.WriteEndObject();
            if (location.Line is int line && line > 0)
            {
                json.WriteStartObject("region");
                json.WriteNumber("startLine", line);
                if (location.Column is int column && column > 0)
                {
                    json.WriteNumber("startColumn", column);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        if (where.Logical is { } logical)
        {
            json.WriteStartArray("logicalLocations");
            json.WriteStartObject();
            if (logical.Index is int index)
            {
                json.WriteNumber("index", index);
            }

            ReportSchema.WriteIfSet(json, "name", logical.Name);
            json.WriteString("fullyQualifiedName", logical.FullyQualifiedName);
            json.WriteString("kind", logical.Kind);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>run.artifacts and run.logicalLocations, when findings inside images needed them.</summary>
    public void WriteRunArrays(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (artifacts.Count > 0)
        {
            json.WriteStartArray("artifacts");
            foreach (var artifact in artifacts)
            {
                json.WriteStartObject();
                if (artifact.Uri is not null)
                {
                    json.WriteStartObject("location");
                    json.WriteString("uri", artifact.Uri);
                    json.WriteEndObject();
                }

                if (artifact.Description is not null)
                {
                    json.WriteStartObject("description");
                    json.WriteString("text", artifact.Description);
                    json.WriteEndObject();
                }

                if (artifact.ParentIndex >= 0)
                {
                    json.WriteNumber("parentIndex", artifact.ParentIndex);
                }

                if (artifact.Sha256 is not null)
                {
                    json.WriteStartObject("hashes");
                    json.WriteString("sha-256", artifact.Sha256);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (logicals.Count > 0)
        {
            json.WriteStartArray("logicalLocations");
            foreach (var logical in logicals)
            {
                json.WriteStartObject();
                json.WriteString("name", logical.Name);
                json.WriteString("fullyQualifiedName", logical.FullyQualifiedName);
                json.WriteString("kind", logical.Kind);
                if (logical.ParentIndex >= 0)
                {
                    json.WriteNumber("parentIndex", logical.ParentIndex);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
    }

    private Placed PlaceInImage(string image, Location location)
    {
        var imageLogical = AddLogical(new Logical(image, image, "module", -1));
        if (location.Path is not null)
        {
            var path = "/" + location.Path.TrimStart('/');
            var imageArtifact = AddArtifact(image, new Artifact(null, $"image {image}", null, -1));
            var (parentLogical, parentArtifact, prefix) = (imageLogical, imageArtifact, $"{image}#");
            if (location.LayerIndex is int layer)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"image layer {layer}");
                prefix = string.Create(CultureInfo.InvariantCulture, $"{image}#image-layer-{layer}:");
                parentLogical = AddLogical(new Logical(name, prefix.TrimEnd(':'), "namespace", imageLogical));
                var sha256 = location.LayerDigest is { } digest && digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest["sha256:".Length..] : null;
                parentArtifact = AddArtifact(prefix, new Artifact(null, $"{name} of {image}", sha256, imageArtifact));
            }

            var fullName = prefix + path;
            var uri = EscapeSegments(path);
            var artifact = AddArtifact(fullName, new Artifact(uri, null, null, parentArtifact));
            var index = AddLogical(new Logical(path, fullName, "resource", parentLogical));
            return new Placed(uri, null, artifact, new LogicalRef(index, path, fullName, "resource"));
        }

        if (location.JsonPath is not null)
        {
            var config = AddLogical(new Logical("config", $"{image}#config", "object", imageLogical));
            var fullName = $"{image}#config:{location.JsonPath}";
            var index = AddLogical(new Logical(location.JsonPath, fullName, "property", config));
            return new Placed(null, null, null, new LogicalRef(index, location.JsonPath, fullName, "property"));
        }

        if (location.Subject is not null)
        {
            var fullName = $"{image}#{location.Subject}";
            var index = AddLogical(new Logical(location.Subject, fullName, "variable", imageLogical));
            return new Placed(null, null, null, new LogicalRef(index, location.Subject, fullName, "variable"));
        }

        return new Placed(null, null, null, new LogicalRef(imageLogical, image, image, "module"));
    }

    private int AddLogical(Logical logical)
    {
        if (!logicalIndex.TryGetValue(logical.FullyQualifiedName, out var index))
        {
            index = logicals.Count;
            logicals.Add(logical);
            logicalIndex[logical.FullyQualifiedName] = index;
        }

        return index;
    }

    private int AddArtifact(string key, Artifact artifact)
    {
        if (!artifactIndex.TryGetValue(key, out var index))
        {
            index = artifacts.Count;
            artifacts.Add(artifact);
            artifactIndex[key] = index;
        }

        return index;
    }

    /// <summary>Relative to the root when under it (with its base ID), else an absolute file URI.</summary>
    private (string Uri, string? BaseId) ArtifactUri(string file)
    {
        var full = Path.GetFullPath(file, root);
        return full.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal)
            ? (EscapeSegments(Path.GetRelativePath(root, full)), SarifReportWriter.SourceRoot)
            : (FileUri(full), null);
    }

    private static string FileUri(string fullPath) => "file://" + EscapeSegments(fullPath);

    /// <summary>Percent-encodes each path segment (spaces, '#', '%', non-ASCII), keeping the slashes.</summary>
    private static string EscapeSegments(string path) =>
        string.Join('/', path.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
}
