namespace Strata.Runtime.Seccomp;

using System.Globalization;
using System.Text.Json;
using Strata.Core.Documents;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Turns a YAML node into JSON the profile reader reads, with the line of every JSON path, so a security-profiles-operator
/// object is validated by the same code and its errors point at YAML lines.
/// </summary>
internal static class YamlAsJson
{
    public static (byte[] Json, Dictionary<string, int> Lines) Convert(YamlNode root)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, root, "$", lines);
        }

        return (buffer.ToArray(), lines);
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node, string path, Dictionary<string, int> lines)
    {
        lines[path] = YamlSource.LineOf(node);
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? string.Empty;
                    writer.WritePropertyName(name);
                    Write(writer, value, path + JsonPaths.Member(name), lines);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                var index = 0;
                foreach (var item in sequence.Children)
                {
                    Write(writer, item, path + JsonPaths.Index(index++), lines);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    // Plain scalars carry YAML's core-schema types; quoted ones are always strings.
    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.Plain)
        {
            if (value is "" or "~" or "null" or "Null" or "NULL")
            {
                writer.WriteNullValue();
                return;
            }

            if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            {
                writer.WriteBooleanValue(value[0] is 't' or 'T');
                return;
            }

            if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned))
            {
                writer.WriteNumberValue(unsigned);
                return;
            }

            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var signed))
            {
                writer.WriteNumberValue(signed);
                return;
            }

            if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && ulong.TryParse(value[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                writer.WriteNumberValue(hex);
                return;
            }
        }

        writer.WriteStringValue(value);
    }
}
