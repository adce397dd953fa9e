namespace Strata.Core.Documents;

using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

/// <summary>
/// System.Text.Json parses a string holding invalid UTF-8 or a lone surrogate escape (<c>"\ud800"</c>) without
/// complaint, then throws <see cref="InvalidOperationException"/> when the string is read. These checks find such a
/// string while parsing, so it is refused as bad input naming the document and where, like any other malformed JSON.
/// </summary>
public static class JsonStrings
{
    /// <summary>True when the reader's current string or property name decodes to text.</summary>
    public static bool Decodes(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        }

        try
        {
            reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Refuses a JSON document with a string or property name that does not decode, or past <paramref name="limits"/>'
    /// depth or node count; <paramref name="what"/> names it.
    /// </summary>
    public static void Validate(ReadOnlySpan<byte> json, string what, Limits? limits = null)
    {
        limits ??= Limits.Default;

        // One level more for the reader, so the bound is refused here, naming its key.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = limits.MaxDepth + 1 });
        long nodes = 0;
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String && !Decodes(ref reader))
            {
                throw StrataException.BadInput($"{what}: line {LineOf(json, reader)}: {Undecodable}.");
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= limits.MaxDepth)
            {
                throw Limits.Exceeded($"{what}: line {LineOf(json, reader)}", $"JSON nested more than {Limits.Number(limits.MaxDepth)} deep", "document-depth");
            }

            if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray) && ++nodes > limits.MaxNodes)
            {
                throw Limits.Exceeded($"{what}: line {LineOf(json, reader)}", $"more than {Limits.Number(limits.MaxNodes)} JSON nodes in one document", "document-nodes");
            }
        }
    }

    private static int LineOf(ReadOnlySpan<byte> json, Utf8JsonReader reader) => json[..(int)reader.TokenStartIndex].Count((byte)'\n') + 1;

    /// <summary>The message for such a string.</summary>
    public const string Undecodable = "a string is not valid UTF-8 text (invalid bytes or a lone surrogate escape)";
}
