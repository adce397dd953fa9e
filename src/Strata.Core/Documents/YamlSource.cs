namespace Strata.Core.Documents;

using System.Runtime.ExceptionServices;
using Strata.Core.Findings;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

/// <summary>A node of a YAML file read on its own: a document's root, or one item of a sequence the reader streams.</summary>
/// <param name="Document">The zero-based index of its document in the file.</param>
/// <param name="IsItem">True for an item of the streamed sequence; its document's root follows its items, without them.</param>
public sealed record YamlUnit(YamlNode Node, int Document, bool IsItem)
{
    /// <summary>For an item: the root mapping's <c>kind</c> when it came before the streamed sequence (an API server's <c>PodList</c>, whose items have no kind of their own), else null.</summary>
    public string? RootKind { get; init; }
}

/// <summary>
/// A YAML file of one or more documents, read with bounds (<see cref="Limits"/>: nesting depth, nodes per document,
/// documents per file); nodes keep their line numbers.
/// </summary>
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

    public static YamlSource Load(string file, Limits? limits = null)
    {
        limits ??= Limits.Default;
        return Parse(BoundedFile.ReadAllText(file, limits.MaxDocumentBytes, allowStandardInput: true, limitKey: BoundedFile.DocumentBytesKey), file, limits);
    }

    public static YamlSource Parse(string text, string file, Limits? limits = null)
    {
        var documents = new List<YamlNode>();
        Read(text, file, limits ?? Limits.Default, null, unit => documents.Add(unit.Node));
        return new YamlSource(file, documents);
    }

    /// <summary>
    /// Reads the documents of a YAML text one at a time, so memory stays flat in their number: each non-empty root goes
    /// to <paramref name="onUnit"/> before the next document is parsed. With <paramref name="streamedKey"/>, a sequence
    /// under that key of a root mapping (a Kubernetes List's <c>items</c>) is streamed too: each item goes to
    /// <paramref name="onUnit"/> as it is parsed, and the root follows with that sequence empty. Items are counted
    /// against <see cref="Limits.MaxNodes"/> one by one; an alias cannot refer to an anchor outside its item.
    /// </summary>
    public static void Read(string text, string file, Limits limits, string? streamedKey, Action<YamlUnit> onUnit)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(onUnit);
        var source = new CountingParser(new Parser(new StringReader(text)), file, limits);
        try
        {
            source.MoveNext();
            for (var document = 0; source.MoveNext() && source.Current is DocumentStart; document++)
            {
                source.MoveNext();
                var index = document;
                var items = streamedKey is null ? null : new Diversion(streamedKey, (item, rootKind) => Deliver(onUnit, new YamlUnit(item, index, true) { RootKind = rootKind }));
                var root = LoadNode(source, items);
                source.MoveNext();
                if (root is not YamlScalarNode { Value: null or "" or "~" or "null" })
                {
                    Deliver(onUnit, new YamlUnit(root, document, false));
                }
            }
        }
        catch (ConsumerFailure failure)
        {
            // What the consumer threw is its own error, not the parser's.
            ExceptionDispatchInfo.Throw(failure.InnerException!);
        }
        catch (AnchorNotFoundException e) when (streamedKey is not null)
        {
            throw StrataException.BadInput($"{file}:{e.Start.Line}: malformed YAML: {Redaction.Quote(e.Message, 200)} (the items of a '{streamedKey}' list are read one at a time: an alias cannot refer to an anchor outside its item).", e);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            throw Malformed(file, e);
        }
    }

    /// <summary>Loads every document of a YAML text, bounded by <paramref name="limits"/>; malformed YAML is a <see cref="StrataException"/> naming the file (and the line, where the parser gives one).</summary>
    public static YamlStream LoadStream(string text, string file, Limits? limits = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new CountingParser(new Parser(new StringReader(text)), file, limits ?? Limits.Default));
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            throw Malformed(file, e);
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

    private static StrataException Malformed(string file, Exception e) => e switch
    {
        YamlException yaml => StrataException.BadInput($"{file}:{yaml.Start.Line}: malformed YAML: {Redaction.Quote(yaml.InnerException is YamlException inner ? inner.Message : yaml.Message, 200)}", e),

        // YamlDotNet throws these instead of a YamlException for some malformed input (found by fuzzing: "%TAG ! ", "-\n- :").
        _ => StrataException.BadInput($"{file}: malformed YAML: the YAML parser cannot read it.", e),
    };

    private static void Deliver(Action<YamlUnit> onUnit, YamlUnit unit)
    {
        try
        {
            onUnit(unit);
        }
        catch (Exception e)
        {
            throw new ConsumerFailure(e);
        }
    }

    /// <summary>Builds the node whose first event is <paramref name="source"/>'s current one; leaves the source on its last event.</summary>
    private static YamlNode LoadNode(CountingParser source, Diversion? items)
    {
        var stream = new YamlStream();
        stream.Load(new NodeWindow(source, items));
        return stream.Documents[0].RootNode;
    }

    /// <summary>A sequence under <paramref name="Key"/> of the root mapping whose items go to <paramref name="OnItem"/> instead of into the tree.</summary>
    private sealed record Diversion(string Key, Action<YamlNode, string?> OnItem);

    /// <summary>Wraps what a consumer threw while the parser was on the stack.</summary>
    private sealed class ConsumerFailure(Exception inner) : Exception(inner.Message, inner);

    /// <summary>
    /// The parser with the bounds applied as events arrive, before YamlDotNet's recursive loader can go deeper or build
    /// more: nesting depth, nodes per document (or per streamed item), documents per file.
    /// </summary>
    private sealed class CountingParser(IParser inner, string file, Limits limits) : IParser
    {
        private int depth;
        private int documents;

        public ParsingEvent? Current => inner.Current;

        /// <summary>Nodes of the current document or item so far.</summary>
        public long Nodes { get; set; }

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            var current = inner.Current!;
            switch (current)
            {
                case DocumentStart:
                    if (++documents > limits.MaxDocumentsPerFile)
                    {
                        throw Limits.Exceeded(Where(current), $"more than {Limits.Number(limits.MaxDocumentsPerFile)} YAML documents in one file", "documents-per-file");
                    }

                    Nodes = 0;
                    break;
                case MappingStart or SequenceStart:
                    Count(current);
                    if (++depth > limits.MaxDepth)
                    {
                        throw Limits.Exceeded(Where(current), $"YAML nested more than {Limits.Number(limits.MaxDepth)} deep", "document-depth");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
                case NodeEvent:
                    Count(current);
                    break;
            }

            return true;
        }

        private void Count(ParsingEvent current)
        {
            if (++Nodes > limits.MaxNodes)
            {
                throw Limits.Exceeded(Where(current), $"more than {Limits.Number(limits.MaxNodes)} YAML nodes in one document", "document-nodes");
            }
        }

        private string Where(ParsingEvent current) => $"{file}:{current.Start.Line}";
    }

    /// <summary>
    /// One node of the underlying stream presented as a whole YAML stream of one document, so YamlDotNet's loader builds
    /// just that node (with its real marks). With a <see cref="Diversion"/>, the items of the diverted sequence are each
    /// loaded on their own and handed over instead, and the loader sees that sequence empty.
    /// </summary>
    private sealed class NodeWindow(CountingParser source, Diversion? items) : IParser
    {
        private int state;
        private int depth;
        private bool finished;
        private bool rootIsMapping;
        private int rootChildren;
        private bool divertNext;
        private bool kindNext;
        private string? rootKind;
        private bool diverting;
        private HashSet<string>? anchors;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            switch (state)
            {
                case 0:
                    Current = new StreamStart();
                    break;
                case 1:
                    Current = new DocumentStart();
                    break;
                case 2:
                    rootIsMapping = source.Current is MappingStart;
                    Take(source.Current!);
                    break;
                case 3 when !finished:
                    if (diverting)
                    {
                        DivertItems();
                    }
                    else if (!source.MoveNext())
                    {
                        throw new EndOfStreamException("The YAML stream ended inside a node.");
                    }

                    Take(source.Current!);
                    return true;
                case 3:
                    Current = new DocumentEnd(isImplicit: true);
                    break;
                case 4:
                    Current = new StreamEnd();
                    break;
                default:
                    return false;
            }

            state++;
            return true;
        }

        private void Take(ParsingEvent current)
        {
            Current = current;
            if (current is NodeEvent { Anchor.IsEmpty: false } anchored)
            {
                (anchors ??= new(StringComparer.Ordinal)).Add(anchored.Anchor.Value);
            }
            else if (current is AnchorAlias alias && anchors?.Contains(alias.Value.Value) != true)
            {
                // Refused here, at its line: the loader would name no line, or refuse "a document of only an alias".
                throw new AnchorNotFoundException(alias.Start, alias.End, $"Anchor '{alias.Value}' not found");
            }

            var opens = current is MappingStart or SequenceStart;
            var closes = current is MappingEnd or SequenceEnd;
            var atRoot = depth == 1 || (depth == 2 && closes);
            if (rootIsMapping && items is not null && depth == 1 && opens && divertNext && current is SequenceStart)
            {
                diverting = true;
            }

            depth += opens ? 1 : closes ? -1 : 0;
            finished = depth == 0;

            // Each completed child of the root mapping is a key, then a value, in turn.
            if (rootIsMapping && atRoot && !opens)
            {
                var isKey = rootChildren % 2 == 0;
                divertNext = isKey && current is Scalar { Value: var key } && key == items?.Key;
                if (!isKey && kindNext && current is Scalar { Value: var kind })
                {
                    rootKind = kind;
                }

                kindNext = isKey && current is Scalar { Value: "kind" };
                rootChildren++;
            }
        }

        /// <summary>Loads and hands over each item of the diverted sequence, leaving the source on its end.</summary>
        private void DivertItems()
        {
            diverting = false;
            divertNext = false;
            while (source.MoveNext() && source.Current is not SequenceEnd)
            {

                // The item's first event was counted for the root; the item is counted on its own.
                var rootNodes = source.Nodes - 1;
                source.Nodes = 1;
                items!.OnItem(LoadNode(source, null), rootKind);
                source.Nodes = rootNodes;
            }
        }
    }
}
