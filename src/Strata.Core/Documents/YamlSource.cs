namespace Strata.Core.Documents;

using Strata.Core.Findings;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

/// <summary>A YAML file of one or more documents, read with bounds; nodes keep their line numbers.</summary>
public sealed class YamlSource
{
    private YamlSource(string file, IReadOnlyList<YamlNode> documents)
    {
        File = file;
        Documents = documents;
    }

    public string File { get; }

    /// <summary>The root node of each non-empty document.</summary>
    public IReadOnlyList<YamlNode> Documents { get; }

    public static YamlSource Load(string file) => Parse(BoundedFile.ReadAllText(file, allowStandardInput: true), file);

    public static YamlSource Parse(string text, string file)
    {
        var documents = LoadStream(text, file).Documents
            .Select(d => d.RootNode)
            .Where(n => n is not YamlScalarNode { Value: null or "" or "~" or "null" })
            .ToList();
        return new YamlSource(file, documents);
    }

    /// <summary>Loads every document of a YAML text; malformed YAML is a <see cref="StrataException"/> naming the file (and the line, where the parser gives one).</summary>
    public static YamlStream LoadStream(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
            throw StrataException.BadInput($"{file}:{e.Start.Line}: malformed YAML: {Redaction.Quote(message, 200)}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these instead of a YamlException for some malformed input (found by fuzzing: "%TAG ! ", "-\n- :").
            throw StrataException.BadInput($"{file}: malformed YAML: the YAML parser cannot read it.", e);
        }

        return stream;
    }

    /// <summary>The child of a mapping, or null.</summary>
    public static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The scalar text of a mapping's child, or null.</summary>
    public static string? Scalar(YamlNode? node, string key) => Child(node, key) is YamlScalarNode { Value: { } value } ? value : null;

    /// <summary>A YAML boolean (true/false/True/…), or null when absent or not a boolean.</summary>
    public static bool? Boolean(YamlNode? node, string key) => Scalar(node, key)?.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    public static int LineOf(YamlNode node) => (int)(node?.Start.Line ?? 0);
}
