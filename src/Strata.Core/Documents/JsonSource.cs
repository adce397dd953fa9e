namespace Strata.Core.Documents;

using System.Text;
using System.Text.Json;
using Strata.Core.Findings;

/// <summary>
/// A JSON document read from a file with bounds, plus the line of every value, so findings can point at
/// <c>file:line</c> and a JSON path.
/// </summary>
public sealed class JsonSource : IDisposable
{
    private readonly Dictionary<string, int> lines;

    private JsonSource(string file, JsonDocument document, Dictionary<string, int> lines)
    {
        File = file;
        Document = document;
        this.lines = lines;
    }

    public string File { get; }

    public JsonDocument Document { get; }

    public JsonElement Root => Document.RootElement;

    /// <summary>The one-based line where the value at <paramref name="jsonPath"/> starts, if known.</summary>
    public int? LineOf(string jsonPath) => lines.TryGetValue(jsonPath, out var line) ? line : null;

    public static JsonSource Load(string file, Limits? limits = null)
    {
        limits ??= Limits.Default;
        return Parse(BoundedFile.ReadAllBytes(file, limits.MaxDocumentBytes, allowStandardInput: true, limitKey: BoundedFile.DocumentBytesKey), file, limits);
    }

    /// <summary>Parses a JSON document bounded by <paramref name="limits"/> (nesting depth, node count).</summary>
    public static JsonSource Parse(byte[] bytes, string file, Limits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        limits ??= Limits.Default;
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            IndexLines(bytes, lines, file, limits);
            var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
            return new JsonSource(file, document, lines);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw StrataException.BadInput($"{file}:{line}: malformed JSON: {Redaction.Quote(cut > 0 ? message[..cut] : message, 200)}");
        }
    }

    // One reader pass records the start line of each value under its JSON path, and checks that every string is
    // valid UTF-8: JsonDocument does not, and a scanner's GetString would fail later naming no file.
    private static void IndexLines(byte[] bytes, Dictionary<string, int> lines, string file, Limits limits)
    {
        // One level more for the reader, so the bound is refused here, naming its key.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = limits.MaxDepth + 1 });
        var path = new List<PathPart>();
        var lineStarts = LineStarts(bytes);
        string? pendingProperty = null;
        long nodes = 0;
        while (reader.Read())
        {
            var line = LineAt(lineStarts, reader.TokenStartIndex);
            if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray) && ++nodes > limits.MaxNodes)
            {
                throw Limits.Exceeded($"{file}:{line}", $"more than {Limits.Number(limits.MaxNodes)} JSON nodes in one document", "document-nodes");
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= limits.MaxDepth)
            {
                throw Limits.Exceeded($"{file}:{line}", $"JSON nested more than {Limits.Number(limits.MaxDepth)} deep", "document-depth");
            }

            if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String && !JsonStrings.Decodes(ref reader))
            {
                Enter(path, ref pendingProperty);
                throw StrataException.BadInput($"{file}:{line}: {Render(path)}: {JsonStrings.Undecodable}.");
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingProperty = reader.GetString();
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    Enter(path, ref pendingProperty);
                    lines.TryAdd(Render(path), line);
                    path.Add(reader.TokenType == JsonTokenType.StartArray ? PathPart.Array() : PathPart.Object());
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    break;
                default:
                    Enter(path, ref pendingProperty);
                    var at = Render(path);
                    lines.TryAdd(at, line);
                    break;
            }
        }
    }

    private static void Enter(List<PathPart> path, ref string? pendingProperty)
    {
        if (path.Count == 0)
        {
            return;
        }

        var top = path[^1];
        if (top.IsArray)
        {
            top.Index++;
            top.Current = null;
        }
        else
        {
            top.Current = pendingProperty;
            pendingProperty = null;
        }
    }

    /// <param name="memberOfLast">Whether to name the member of the innermost object last entered (false: the object itself).</param>
    private static string Render(List<PathPart> path, bool memberOfLast = true)
    {
        var text = new StringBuilder("$");
        for (var i = 0; i < path.Count; i++)
        {
            var part = path[i];
            if (!memberOfLast && i == path.Count - 1 && !part.IsArray)
            {
                break;
            }

            if (part.IsArray)
            {
                if (part.Index >= 0)
                {
                    text.Append('[').Append(part.Index).Append(']');
                }
            }
            else if (part.Current is not null)
            {
                text.Append(JsonPaths.Member(part.Current));
            }
        }

        return text.ToString();
    }

    private static List<long> LineStarts(byte[] bytes)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static int LineAt(List<long> starts, long offset)
    {
        var index = starts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    public void Dispose() => Document.Dispose();

    private sealed class PathPart
    {
        public bool IsArray { get; private init; }

        public int Index { get; set; } = -1;

        public string? Current { get; set; }

        public static PathPart Array() => new() { IsArray = true };

        public static PathPart Object() => new();
    }
}

/// <summary>Builds JSON path strings the same way everywhere.</summary>
public static class JsonPaths
{
    public static string Member(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(name[0])
            ? "." + name
            : "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";

    public static string Index(int index) => "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
}
