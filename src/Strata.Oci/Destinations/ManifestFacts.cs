namespace Strata.Oci.Destinations;

using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;

/// <summary>What a destination needs from a manifest it stores or lists: its subject and artifact type (OCI 1.1).</summary>
internal sealed record ManifestFacts(Digest? Subject, string? ArtifactType, string? ConfigMediaType, IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>The manifest's artifactType, else its config's media type: what the referrers API reports.</summary>
    public string? EffectiveArtifactType => ArtifactType ?? ConfigMediaType;

    public static ManifestFacts Read(ReadOnlyMemory<byte> bytes, string what)
    {
        try
        {
            JsonStrings.Validate(bytes.Span, what);
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = Limits.Default.MaxDepth });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw StrataException.BadInput($"{what} is not a JSON object.");
            }

            Digest? subject = null;
            if (root.TryGetProperty("subject", out var subjectElement) && subjectElement.ValueKind == JsonValueKind.Object)
            {
                var text = subjectElement.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                subject = Digest.Parse(text ?? string.Empty, $"{what}: subject");
            }

            var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("annotations", out var annotationElement) && annotationElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in annotationElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        annotations[property.Name] = property.Value.GetString()!;
                    }
                }
            }

            return new ManifestFacts(subject, StringOf(root, "artifactType"), root.TryGetProperty("config", out var config) ? StringOf(config, "mediaType") : null, annotations);
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{what} is not valid JSON (line {e.LineNumber + 1}).");
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Checks shared by the destinations.</summary>
internal static class DestinationChecks
{
    /// <summary>A tag as the distribution grammar allows it: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.</summary>
    public static void Tag(string? tag, string origin)
    {
        if (tag is null)
        {
            return;
        }

        var valid = tag.Length is > 0 and <= 128 && (char.IsAsciiLetterOrDigit(tag[0]) || tag[0] == '_')
            && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
        if (!valid)
        {
            throw StrataException.Usage($"{origin}: '{Strata.Core.Findings.Redaction.Quote(tag)}' is not a valid tag (expected [A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}).");
        }
    }
}
