namespace Strata.Runtime.Engines;

using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

/// <summary>One value of an engine configuration, with the line it was written on and its key path.</summary>
/// <param name="Value">A string, bool, long, double, <see cref="IReadOnlyList{ConfigValue}"/> or a table (<see cref="IReadOnlyDictionary{String, ConfigValue}"/>).</param>
/// <param name="Line">One-based line, 0 when unknown.</param>
/// <param name="Path">The key path, JSONPath style: <c>$.plugins['io.containerd.grpc.v1.cri'].enable_selinux</c>.</param>
public sealed record ConfigValue(object Value, int Line, string Path)
{
    public string TypeName => Value switch
    {
        string => "a string",
        bool => "a boolean",
        long => "an integer",
        double => "a float",
        IReadOnlyList<ConfigValue> => "an array",
        _ => "a table",
    };
}

/// <summary>
/// A container engine's configuration file (Docker daemon.json, containerd config.toml, CRI-O crio.conf) as a tree of
/// values with lines; checks read it through typed getters that fail the target, naming file, line and key path, when a
/// key holds the wrong type.
/// </summary>
public sealed class EngineConfig
{
    private static readonly IReadOnlyDictionary<string, ConfigValue> Empty = new Dictionary<string, ConfigValue>();

    private EngineConfig(string file, IReadOnlyDictionary<string, ConfigValue> root)
    {
        File = file;
        Root = root;
    }

    /// <summary>The file as findings name it.</summary>
    public string File { get; }

    public IReadOnlyDictionary<string, ConfigValue> Root { get; }

    /// <summary>The value at <paramref name="keys"/> (each one key, dots allowed), or null.</summary>
    public ConfigValue? Find(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        IReadOnlyDictionary<string, ConfigValue> table = Root;
        ConfigValue? current = null;
        foreach (var key in keys)
        {
            if (current is not null)
            {
                if (current.Value is not IReadOnlyDictionary<string, ConfigValue> inner)
                {
                    return null;
                }

                table = inner;
            }

            if (!table.TryGetValue(key, out current))
            {
                return null;
            }
        }

        return current;
    }

    public string? Text(params string[] keys) => Typed<string>(keys, "a string");

    public bool? Bool(params string[] keys) => Find(keys) is { } v ? v.Value as bool? ?? throw WrongType(v, "a boolean") : null;

    public long? Number(params string[] keys) => Find(keys) is { } v ? v.Value as long? ?? throw WrongType(v, "an integer") : null;

    public IReadOnlyDictionary<string, ConfigValue>? Table(params string[] keys) => Typed<IReadOnlyDictionary<string, ConfigValue>>(keys, "a table");

    /// <summary>An array of strings with each element's value, or null when absent.</summary>
    public IReadOnlyList<ConfigValue>? Strings(params string[] keys)
    {
        var list = Typed<IReadOnlyList<ConfigValue>>(keys, "an array of strings");
        foreach (var item in list ?? [])
        {
            if (item.Value is not string)
            {
                throw WrongType(item, "a string");
            }
        }

        return list;
    }

    /// <summary>A location for <paramref name="keys"/>, at the line of the nearest key that is written.</summary>
    public Location At(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var line = 0;
        for (var n = keys.Length; n > 0 && line == 0; n--)
        {
            line = Find(keys[..n])?.Line ?? 0;
        }

        return new Location { File = File, JsonPath = PathOf(keys), Line = line == 0 ? null : line };
    }

    public Location At(ConfigValue value, string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new Location { File = File, JsonPath = value.Path, Line = value.Line == 0 ? null : value.Line, Subject = subject };
    }

    public static string PathOf(IEnumerable<string> keys) => keys.Aggregate("$", Child);

    // The same rendering as JsonSource's, so a daemon.json key finds its line.
    private static string Child(string parent, string key) => parent + JsonPaths.Member(key);

    private T? Typed<T>(string[] keys, string expected)
        where T : class => Find(keys) is { } v ? v.Value as T ?? throw WrongType(v, expected) : null;

    private StrataException WrongType(ConfigValue value, string expected) =>
        StrataException.BadInput($"{File}:{value.Line}: {value.Path}: expected {expected}, found {value.TypeName}.");

    /// <summary>Reads a JSON configuration (Docker's daemon.json).</summary>
    public static EngineConfig LoadJson(string path, string file, Limits limits)
    {
        using var source = JsonSource.Load(path, limits);
        if (source.Root.ValueKind != JsonValueKind.Object)
        {
            throw StrataException.BadInput($"{file}:1: the configuration must be a JSON object.");
        }

        return new EngineConfig(file, (IReadOnlyDictionary<string, ConfigValue>)FromJson(source, source.Root, "$").Value);
    }

    private static ConfigValue FromJson(JsonSource source, JsonElement element, string path)
    {
        var line = source.LineOf(path) ?? 0;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var table = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    table[property.Name] = FromJson(source, property.Value, Child(path, property.Name));
                }

                return new ConfigValue(table, line, path);
            case JsonValueKind.Array:
                return new ConfigValue(element.EnumerateArray().Select((e, i) => FromJson(source, e, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]")).ToList(), line, path);
            case JsonValueKind.String:
                return new ConfigValue(element.GetString()!, line, path);
            case JsonValueKind.True or JsonValueKind.False:
                return new ConfigValue(element.GetBoolean(), line, path);
            case JsonValueKind.Number:
                return element.TryGetInt64(out var integer) ? new ConfigValue(integer, line, path) : new ConfigValue(element.GetDouble(), line, path);
            default:
                // null: as good as absent for every key an engine reads; kept as an empty table-less marker.
                return new ConfigValue(Empty, line, path);
        }
    }

    /// <summary>Reads a TOML configuration (containerd's config.toml, CRI-O's crio.conf) with Tomlyn's syntax tree, keeping lines.</summary>
    public static EngineConfig LoadToml(string path, string file, Limits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var bytes = BoundedFile.ReadAllBytes(path, limits.MaxDocumentBytes, allowStandardInput: true, limitKey: BoundedFile.DocumentBytesKey);
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw StrataException.BadInput($"{file}: not UTF-8 text, so not TOML.");
        }

        var document = SyntaxParser.Parse(text, file, validate: true);
        if (document.HasErrors)
        {
            var error = document.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error);
            throw StrataException.BadInput($"{file}:{error.Span.Start.Line + 1}: malformed TOML: {Redaction.Quote(error.Message, 200)}");
        }

        var root = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        var reader = new TomlTreeReader(file, limits);
        reader.AddItems(root, [], document.KeyValues);
        foreach (var table in document.Tables)
        {
            var keys = TomlTreeReader.Keys(table.Name!);
            var line = table.Span.Start.Line + 1;
            Dictionary<string, ConfigValue> target;
            if (table is TableArraySyntax)
            {
                var (parent, last) = reader.Parent(root, keys, line);
                var array = parent.TryGetValue(last, out var existing) && existing.Value is List<ConfigValue> list ? list : [];
                target = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
                var itemPath = PathOf(keys) + "[" + array.Count.ToString(CultureInfo.InvariantCulture) + "]";
                array.Add(new ConfigValue(target, line, itemPath));
                parent[last] = new ConfigValue(array, existing?.Line ?? line, PathOf(keys));
                reader.AddItems(target, [.. keys, array.Count.ToString(CultureInfo.InvariantCulture)], table.Items, itemPath);
                continue;
            }

            target = reader.Table(root, keys, line);
            reader.AddItems(target, keys, table.Items);
        }

        return new EngineConfig(file, root);
    }

    /// <summary>Builds the value tree from Tomlyn's syntax nodes (already validated: no duplicate keys).</summary>
    private sealed class TomlTreeReader(string file, Limits limits)
    {
        private long nodes;

        public static string[] Keys(KeySyntax key)
        {
            var keys = new List<string> { KeyText(key.Key!) };
            keys.AddRange(key.DotKeys.Select(d => KeyText(d.Key!)));
            return [.. keys];
        }

        private static string KeyText(BareKeyOrStringValueSyntax key) => key switch
        {
            BareKeySyntax bare => bare.Key!.Text!,
            StringValueSyntax quoted => quoted.Value!,
            _ => key.ToString()!,
        };

        public (Dictionary<string, ConfigValue> Parent, string Last) Parent(Dictionary<string, ConfigValue> root, string[] keys, int line) =>
            (Table(root, keys[..^1], line), keys[^1]);

        /// <summary>The table at <paramref name="keys"/>, created (implicitly, as TOML does) where missing; into the last element of an array of tables.</summary>
        public Dictionary<string, ConfigValue> Table(Dictionary<string, ConfigValue> root, string[] keys, int line, string? basePath = null)
        {
            var current = root;
            var path = basePath ?? "$";
            foreach (var key in keys)
            {
                path = Child(path, key);
                if (!current.TryGetValue(key, out var next))
                {
                    next = new ConfigValue(new Dictionary<string, ConfigValue>(StringComparer.Ordinal), line, path);
                    current[key] = next;
                }

                current = next.Value switch
                {
                    Dictionary<string, ConfigValue> table => table,
                    List<ConfigValue> { Count: > 0 } array when array[^1].Value is Dictionary<string, ConfigValue> last => last,
                    _ => throw StrataException.BadInput($"{file}:{line}: {path}: a key is both a value and a table."),
                };
            }

            return current;
        }

        public void AddItems(Dictionary<string, ConfigValue> table, string[] tableKeys, SyntaxList<KeyValueSyntax> items, string? basePath = null)
        {
            var tablePath = basePath ?? PathOf(tableKeys);
            foreach (var item in items)
            {
                var keys = Keys(item.Key!);
                var line = item.Span.Start.Line + 1;
                var parent = Table(table, keys[..^1], line, tablePath);
                var path = keys.Aggregate(tablePath, Child);
                parent[keys[^1]] = Value(item.Value!, path);
            }
        }

        private ConfigValue Value(ValueSyntax value, string path)
        {
            if (++nodes > limits.MaxNodes)
            {
                throw Limits.Exceeded($"{file}:{value.Span.Start.Line + 1}", $"more than {Limits.Number(limits.MaxNodes)} TOML values in one document", "document-nodes");
            }

            var line = value.Span.Start.Line + 1;
            return value switch
            {
                StringValueSyntax s => new ConfigValue(s.Value ?? string.Empty, line, path),
                BooleanValueSyntax b => new ConfigValue(b.Value, line, path),
                IntegerValueSyntax i => new ConfigValue(i.Value, line, path),
                FloatValueSyntax f => new ConfigValue(f.Value, line, path),
                ArraySyntax a => new ConfigValue(a.Items.Select((item, index) => Value(item.Value!, path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]")).ToList(), line, path),
                InlineTableSyntax t => Inline(t, path, line),
                _ => new ConfigValue(value.ToString()?.Trim() ?? string.Empty, line, path),
            };
        }

        private ConfigValue Inline(InlineTableSyntax table, string path, int line)
        {
            var result = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
            foreach (var item in table.Items)
            {
                var keys = Keys(item.KeyValue!.Key!);
                var parent = Table(result, keys[..^1], line, path);
                parent[keys[^1]] = Value(item.KeyValue.Value!, keys.Aggregate(path, Child));
            }

            return new ConfigValue(result, line, path);
        }
    }
}
