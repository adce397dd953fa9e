namespace Strata.Secrets.Structured;

using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Strata.Core;
using Strata.Core.Documents;
using YamlDotNet.RepresentationModel;

/// <summary>One value of a Kubernetes Secret object in a manifest.</summary>
/// <param name="Key">The key under <c>data</c> or <c>stringData</c>.</param>
/// <param name="JsonPath">Where it is, e.g. <c>$.data.password</c> or <c>$.items[2].data['tls.key']</c>.</param>
/// <param name="KeyIndex">Character index of the key in the text.</param>
/// <param name="ValueEnd">Character index after the value.</param>
/// <param name="Text">The value as text: decoded from base64 for <c>data</c>, as written for <c>stringData</c>; null for binary data.</param>
/// <param name="Binary">The decoded bytes of a <c>data</c> value that is not text, else null.</param>
internal sealed record KubernetesSecretValue(string Key, string JsonPath, int KeyIndex, int ValueEnd, string? Text, byte[]? Binary);

/// <summary>
/// Finds the <c>kind: Secret</c> objects of a YAML or JSON text (one or many documents, and the items of a
/// <c>kind: List</c>) and reads their values: <c>data</c> base64-decoded, <c>stringData</c> as is. Bounded in text
/// size, YAML nodes, values and decoded bytes; text that is not YAML gives nothing.
/// </summary>
internal static class KubernetesSecretValues
{
    /// <summary>Texts larger than this are not parsed.</summary>
    public const int MaxTextBytes = 4 * 1024 * 1024;

    private const int MaxValues = 1000;
    private const int MaxValueChars = 1024 * 1024;

    private static readonly Limits YamlLimits = new() { MaxNodes = 200_000, MaxDepth = 64, MaxDocumentsPerFile = 1000 };

    /// <summary>A cheap test on the raw bytes: some <c>kind: Secret</c> (YAML or JSON) occurs.</summary>
    public static bool MayHold(ReadOnlySpan<byte> text)
    {
        var secret = "Secret"u8;
        var from = 0;
        while (true)
        {
            var hit = text[from..].IndexOf(secret);
            if (hit < 0)
            {
                return false;
            }

            var at = from + hit;
            from = at + secret.Length;
            var after = at + secret.Length;
            if ((after == text.Length || !char.IsAsciiLetterOrDigit((char)text[after])) && FollowsKind(text, at))
            {
                return true;
            }
        }
    }

    /// <summary>The values of every Secret object of <paramref name="text"/>, in order.</summary>
    public static List<KubernetesSecretValue> Find(string text)
    {
        var values = new List<KubernetesSecretValue>();
        var item = 0;
        try
        {
            YamlSource.Read(text, "manifest", YamlLimits, "items", unit =>
            {
                if (unit.IsItem)
                {
                    Read(unit.Node, string.Create(CultureInfo.InvariantCulture, $"$.items[{item++}]"), values);
                }
                else
                {
                    item = 0;
                    Read(unit.Node, "$", values);
                }
            });
        }
        catch (StrataException)
        {
            // Not YAML (a template, a fragment) or over the bounds: the text rules still saw the text.
        }

        return values;
    }

    private static void Read(YamlNode node, string path, List<KubernetesSecretValue> values)
    {
        if (YamlSource.Scalar(node, "kind") != "Secret")
        {
            return;
        }

        foreach (var (field, decode) in new[] { ("data", true), ("stringData", false) })
        {
            if (YamlSource.Child(node, field) is not YamlMappingNode map)
            {
                continue;
            }

            foreach (var (keyNode, valueNode) in map.Children)
            {
                if (values.Count >= MaxValues)
                {
                    return;
                }

                if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key } || valueNode is not YamlScalarNode { Value: { Length: > 0 and <= MaxValueChars } value })
                {
                    continue;
                }

                var where = $"{path}.{field}{Member(key)}";
                var keyIndex = (int)keyNode.Start.Index;
                var valueEnd = (int)valueNode.End.Index;
                if (!decode)
                {
                    values.Add(new KubernetesSecretValue(key, where, keyIndex, valueEnd, value, null));
                    continue;
                }

                var bytes = PemBody.DecodeBase64(string.Concat(value.Where(c => !char.IsWhiteSpace(c))));
                if (bytes is null)
                {
                    continue;
                }

                var isText = Utf8.IsValid(bytes) && !bytes.AsSpan().Contains((byte)0);
                values.Add(new KubernetesSecretValue(key, where, keyIndex, valueEnd, isText ? Encoding.UTF8.GetString(bytes) : null, isText ? null : bytes));
            }
        }
    }

    /// <summary>A member of a JSON path: <c>.name</c>, or <c>['tls.key']</c> for names that are not identifiers.</summary>
    private static string Member(string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "." + key : "['" + key.Replace("'", "\\'", StringComparison.Ordinal) + "']";

    /// <summary>True when <c>kind</c>, a colon and optional quotes come right before <paramref name="at"/>.</summary>
    private static bool FollowsKind(ReadOnlySpan<byte> text, int at)
    {
        var i = at - 1;
        i = SkipBack(text, i, quote: true);
        if (i < 0 || text[i] != ':')
        {
            return false;
        }

        i = SkipBack(text, i - 1, quote: true);
        return i >= 3 && text[(i - 3)..(i + 1)].SequenceEqual("kind"u8);
    }

    private static int SkipBack(ReadOnlySpan<byte> text, int i, bool quote)
    {
        while (i >= 0 && text[i] is (byte)' ' or (byte)'\t')
        {
            i--;
        }

        if (quote && i >= 0 && text[i] is (byte)'"' or (byte)'\'')
        {
            i--;
        }

        while (i >= 0 && text[i] is (byte)' ' or (byte)'\t')
        {
            i--;
        }

        return i;
    }
}
