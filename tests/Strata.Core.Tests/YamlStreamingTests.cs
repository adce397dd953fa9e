namespace Strata.Core.Tests;

using System.Text;
using Strata.Core.Documents;
using YamlDotNet.RepresentationModel;

/// <summary>
/// YAML is read one document, and one item of a streamed sequence, at a time, with its depth, node count and document
/// count bounded as the parser goes, each refusal naming file, line and the key that raises it.
/// </summary>
public sealed class YamlStreamingTests
{
    private static List<YamlUnit> ReadAll(string text, Limits? limits = null, string? streamedKey = "items")
    {
        var units = new List<YamlUnit>();
        YamlSource.Read(text, "f.yaml", limits ?? Limits.Default, streamedKey, units.Add);
        return units;
    }

    [Fact]
    public void Each_document_is_handed_over_before_the_next_is_parsed()
    {
        var seen = new List<string>();
        var error = Assert.Throws<StrataException>(() => YamlSource.Read("kind: A\n---\nkind: B\n---\nkind: [\n", "f.yaml", Limits.Default, null, u => seen.Add(YamlSource.Scalar(u.Node, "kind")!)));
        Assert.Equal(["A", "B"], seen);
        Assert.StartsWith("f.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_documents_are_skipped_and_documents_are_numbered()
    {
        var units = ReadAll("---\n---\nkind: A\n---\n~\n---\nkind: B\n");
        Assert.Equal([(1, "A"), (3, "B")], units.Select(u => (u.Document, YamlSource.Scalar(u.Node, "kind"))));
    }

    [Fact]
    public void Items_of_the_streamed_key_come_one_by_one_with_their_lines_then_the_root_without_them()
    {
        const string Text = "apiVersion: v1\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  metadata:\n    name: b\nkind: List\nmetadata: {}\n";
        var units = ReadAll(Text);
        Assert.Equal(3, units.Count);
        Assert.True(units[0].IsItem && units[1].IsItem && !units[2].IsItem);
        Assert.Equal("a", YamlSource.Scalar(YamlSource.Child(units[0].Node, "metadata"), "name"));
        Assert.Equal(3, YamlSource.LineOf(units[0].Node));
        Assert.Equal(7, YamlSource.LineOf(YamlSource.Child(YamlSource.Child(units[1].Node, "metadata"), "name")!));
        Assert.Equal("List", YamlSource.Scalar(units[2].Node, "kind"));
        Assert.Empty((YamlSequenceNode)YamlSource.Child(units[2].Node, "items")!);
        Assert.Equal(4, ((YamlMappingNode)units[2].Node).Children.Count);
    }

    [Fact]
    public void A_nested_items_key_and_items_that_are_not_a_sequence_stay_in_the_tree()
    {
        var units = ReadAll("kind: X\nspec:\n  items: [1, 2]\nitems: {a: 1}\n");
        var root = Assert.Single(units);
        Assert.Equal(2, ((YamlSequenceNode)YamlSource.Child(YamlSource.Child(root.Node, "spec"), "items")!).Children.Count);
        Assert.IsType<YamlMappingNode>(YamlSource.Child(root.Node, "items"));
    }

    [Fact]
    public void Json_lists_stream_too()
    {
        var units = ReadAll("{\"apiVersion\":\"v1\",\"items\":[{\"kind\":\"Pod\"},{\"kind\":\"Pod\"}],\"kind\":\"List\"}");
        Assert.Equal([true, true, false], units.Select(u => u.IsItem));
    }

    [Fact]
    public void An_alias_to_an_anchor_outside_its_item_is_refused_naming_the_line()
    {
        var error = Assert.Throws<StrataException>(() => ReadAll("kind: List\nitems:\n- &pod {kind: Pod}\n- *pod\n"));
        Assert.Equal("f.yaml:4: malformed YAML: Anchor 'pod' not found (the items of a 'items' list are read one at a time: an alias cannot refer to an anchor outside its item).", error.Message);
        error = Assert.Throws<StrataException>(() => ReadAll("kind: List\nitems:\n- {kind: Pod, spec: &s {a: 1}}\n- kind: Pod\n  spec: *s\n"));
        Assert.StartsWith("f.yaml:5: malformed YAML: Anchor 's' not found (", error.Message, StringComparison.Ordinal);

        // Within one item, or without streaming, aliases resolve.
        Assert.Single(ReadAll("kind: List\nitems:\n- a: &x 1\n  b: *x\n"), u => u.IsItem);
        Assert.Single(ReadAll("a: &x 1\nb: *x\n"));
    }

    [Fact]
    public void Nesting_past_the_depth_limit_is_refused_before_the_loader_recurses()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var error = Assert.Throws<StrataException>(() => YamlSource.Parse(deep, "deep.yaml"));
        Assert.Equal("deep.yaml:1: YAML nested more than 128 deep (limit document-depth; raise it with --limits document-depth=N).", error.Message);

        var raised = Limits.Default with { MaxDepth = 200 };
        var nested = new string('[', 150) + new string(']', 150);
        Assert.Throws<StrataException>(() => YamlSource.Parse(nested, "deep.yaml"));
        Assert.Single(YamlSource.Parse(nested, "deep.yaml", raised).Documents);
    }

    [Fact]
    public void Nodes_are_counted_per_document_and_per_streamed_item()
    {
        var limits = Limits.Default with { MaxNodes = 12 };
        var item = "- {kind: Pod, a: 1, b: 2}\n";
        var list = "kind: List\nitems:\n" + string.Concat(Enumerable.Repeat(item, 10));
        Assert.Equal(11, ReadAll(list, limits).Count);

        var error = Assert.Throws<StrataException>(() => ReadAll(list, limits, streamedKey: null));
        Assert.Equal("f.yaml:4: more than 12 YAML nodes in one document (limit document-nodes; raise it with --limits document-nodes=N).", error.Message);

        var documents = string.Join("---\n", Enumerable.Repeat("a: 1\nb: 2\nc: 3\n", 50));
        Assert.Equal(50, ReadAll(documents, limits).Count);
    }

    [Fact]
    public void Documents_past_the_per_file_limit_are_refused()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 4; i++)
        {
            text.Append("---\nkind: A\n");
        }

        var limits = Limits.Default with { MaxDocumentsPerFile = 3 };
        var error = Assert.Throws<StrataException>(() => ReadAll(text.ToString(), limits));
        Assert.Equal("f.yaml:7: more than 3 YAML documents in one file (limit documents-per-file; raise it with --limits documents-per-file=N).", error.Message);
        Assert.Equal(4, ReadAll(text.ToString(), limits with { MaxDocumentsPerFile = 4 }).Count);
    }

    [Fact]
    public void What_the_consumer_throws_is_not_reported_as_malformed_yaml()
    {
        var error = Assert.Throws<ArgumentException>(() => YamlSource.Read("kind: List\nitems:\n- a\n", "f.yaml", Limits.Default, "items", _ => throw new ArgumentException("consumer")));
        Assert.Equal("consumer", error.Message);
    }

    [Fact]
    public void Ignore_files_and_other_whole_streams_are_bounded_too()
    {
        var deep = "- " + new string('[', 1000) + new string(']', 1000);
        var error = Assert.Throws<StrataException>(() => YamlSource.LoadStream(deep, ".strataignore"));
        Assert.StartsWith(".strataignore:1: YAML nested more than 128 deep", error.Message, StringComparison.Ordinal);
    }
}
