namespace Strata.Kubernetes.PodSecurity;

using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads pod spec fields the way the Kubernetes API decodes them (an explicit null is the field unset), without
/// allocating: every check reads the same few fields of every pod, so this is the evaluator's hot path.
/// </summary>
internal static class PodFields
{
    /// <summary>
    /// The value of <paramref name="key"/> in a mapping; null when the key is absent, its value null, or the node no
    /// mapping. A YAML merge key (<c>&lt;&lt;: *defaults</c>) is followed as the API's YAML decoder follows it: a key of
    /// the mapping itself wins over a merged one, an earlier merged mapping over a later one.
    /// </summary>
    public static YamlNode? Get(YamlNode? node, string key) => Get(node, key, 0);

    private static YamlNode? Get(YamlNode? node, string key, int merges)
    {
        if (node is not YamlMappingNode map)
        {
            return null;
        }

        var children = map.Children;
        YamlNode? merged = null;
        for (int i = 0, count = children.Count; i < count; i++)
        {
            var pair = children[i];
            if (pair.Key is YamlScalarNode { Value: { } name })
            {
                if (string.Equals(name, key, StringComparison.Ordinal))
                {
                    return IsNull(pair.Value) ? null : pair.Value;
                }

                if (name == "<<")
                {
                    merged = pair.Value;
                }
            }
        }

        // Bounded: an alias inside its own anchor would otherwise loop.
        if (merged is null || merges >= 8)
        {
            return null;
        }

        if (merged is YamlSequenceNode sources)
        {
            foreach (var source in sources)
            {
                if (Get(source, key, merges + 1) is { } value)
                {
                    return value;
                }
            }

            return null;
        }

        return Get(merged, key, merges + 1);
    }

    /// <summary>A YAML null: <c>~</c>, <c>null</c> or nothing, unquoted.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>A string field: null when unset; a non-scalar reads as empty (the API would reject it).</summary>
    public static string? Text(YamlNode? node, string key) => Get(node, key) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        _ => string.Empty,
    };

    /// <summary>A boolean field: null when unset or not a boolean (YAML 1.1 spellings included, as the API's YAML decoder reads them).</summary>
    public static bool? Bool(YamlNode? node, string key) => Get(node, key) is YamlScalarNode { Value: { } value } ? value switch
    {
        "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y" => true,
        "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N" => false,
        _ => null,
    } : null;

    /// <summary>An integer field: null when unset or not an integer.</summary>
    public static long? Integer(YamlNode? node, string key)
    {
        if (Get(node, key) is not YamlScalarNode { Value: { } value })
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number) ? number : null;
    }

    /// <summary>The pod runs on Windows: spec.os.name is exactly <c>windows</c>, as PSA compares it.</summary>
    public static bool IsWindows(PodSpecView pod) => Text(Get(pod.Spec, "os"), "name") == "windows";

    /// <summary>spec.hostUsers is false: the pod runs in a user namespace, which PSA 1.35+ relaxes some checks for.</summary>
    public static bool InUserNamespace(PodSpecView pod) => Bool(pod.Spec, "hostUsers") == false;

    /// <summary>The items of a sequence field; empty when unset or not a sequence.</summary>
    public static IList<YamlNode> Items(YamlNode? node, string key) => Get(node, key) is YamlSequenceNode sequence ? sequence.Children : Array.Empty<YamlNode>();

    /// <summary>Every container of the pod as PSA visits them: init, regular, then ephemeral containers.</summary>
    public static PodContainers Containers(PodSpecView pod) => new(pod.Spec);
}

/// <summary>One container of a pod spec: its node, the list that holds it and its index there.</summary>
internal readonly struct PodContainer(YamlMappingNode node, int list, int index)
{
    private static readonly string[] Lists = ["initContainers", "containers", "ephemeralContainers"];

    public YamlMappingNode Node { get; } = node;

    /// <summary>The container's name; empty when unset, as PSA prints it.</summary>
    public string Name => PodFields.Text(Node, "name") ?? string.Empty;

    /// <summary>The container's securityContext, or null.</summary>
    public YamlNode? SecurityContext => PodFields.Get(Node, "securityContext");

    /// <summary>Its JSON path under the pod spec's, e.g. <c>$.spec.containers[0]</c>.</summary>
    public string PathUnder(string specPath) => string.Create(CultureInfo.InvariantCulture, $"{specPath}.{Lists[list]}[{index}]");
}

/// <summary>The containers of a pod spec, enumerated without allocation.</summary>
internal readonly struct PodContainers(YamlMappingNode spec)
{
    public Enumerator GetEnumerator() => new(spec);

    public struct Enumerator(YamlMappingNode spec)
    {
        private int list;
        private int index = -1;
        private IList<YamlNode>? items;

        public PodContainer Current { get; private set; }

        public bool MoveNext()
        {
            while (list < 3)
            {
                items ??= PodFields.Items(spec, list switch { 0 => "initContainers", 1 => "containers", _ => "ephemeralContainers" });
                while (++index < items.Count)
                {
                    if (items[index] is YamlMappingNode container)
                    {
                        Current = new PodContainer(container, list, index);
                        return true;
                    }
                }

                list++;
                index = -1;
                items = null;
            }

            return false;
        }
    }
}

/// <summary>PSA's message helpers (policy/helpers.go) and Go's formatting of what it quotes.</summary>
internal static class PsaText
{
    public static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    /// <summary>Names a message lists before it counts the rest: a hostile pod of a million containers must not make megabyte messages.</summary>
    public const int MaxListed = 100;

    /// <summary>
    /// <c>"a", "b"</c>; empty for no items. Past <see cref="MaxListed"/> items the rest are counted (<c>… and 999,900
    /// more</c>): the one departure from PSA's text, for lists no API server would accept.
    /// </summary>
    public static string JoinQuote(IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return string.Empty;
        }

        if (items.Count <= MaxListed)
        {
            return "\"" + string.Join("\", \"", items) + "\"";
        }

        return "\"" + string.Join("\", \"", items.Take(MaxListed)) + "\"" + string.Create(CultureInfo.InvariantCulture, $" and {items.Count - MaxListed:N0} more");
    }

    /// <summary><c>a, b</c>, with the same bound as <see cref="JoinQuote"/>.</summary>
    public static string Join(IReadOnlyList<string> items) =>
        items.Count <= MaxListed ? string.Join(", ", items) : string.Join(", ", items.Take(MaxListed)) + string.Create(CultureInfo.InvariantCulture, $" and {items.Count - MaxListed:N0} more");

    /// <summary>A set's sorted list (k8s <c>sets.String.List()</c>): sorted bytewise, duplicates removed, in place.</summary>
    public static List<string> SortedSet(List<string> items)
    {
        items.Sort(StringComparer.Ordinal);
        var write = 0;
        for (var read = 0; read < items.Count; read++)
        {
            if (write == 0 || !string.Equals(items[write - 1], items[read], StringComparison.Ordinal))
            {
                items[write++] = items[read];
            }
        }

        items.RemoveRange(write, items.Count - write);
        return items;
    }

    /// <summary>Go's <c>%q</c> of a string (strconv.Quote): double quotes, with backslash escapes for quotes, backslashes and what is not printable.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\a':
                    text.Append("\\a");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '\v':
                    text.Append("\\v");
                    break;
                default:
                    var category = Rune.GetUnicodeCategory(rune);
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
                    }
                    else if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                        || (category == UnicodeCategory.SpaceSeparator && rune.Value != ' '))
                    {
                        text.Append(rune.Value > 0xFFFF ? string.Create(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}") : string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}"));
                    }
                    else
                    {
                        text.Append(rune.ToString());
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
