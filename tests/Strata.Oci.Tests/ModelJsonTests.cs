namespace Strata.Oci.Tests;

using System.Text;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Oci.Model;

/// <summary>Manifest, index and config JSON whose strings are not text: found by fuzzing (fuzz/run.sh oci-json, docker-archive).</summary>
public sealed class ModelJsonTests
{
    private const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    // Latin-1 turns \u00FF into the byte 0xFF, never valid UTF-8; "\\ud800" is a lone surrogate escape.
    public static TheoryData<string, Func<byte[], object>> Documents => new()
    {
        { "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\u00FF\",\"digest\":\"" + Digest + "\",\"size\":1},\"layers\":[]}", bytes => ImageManifest.Parse(bytes, null, "m.json") },
        { "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"a\",\"digest\":\"" + Digest + "\",\"size\":1,\"annotations\":{\"k\":\"\\ud800\"}}]}", bytes => ImageIndex.Parse(bytes, null, "m.json") },
        { "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"A=\u00FF\"]},\"rootfs\":{\"diff_ids\":[]}}", bytes => ImageConfig.Parse(bytes, "m.json") },
        { "{\"mediaType\u00FF\":1}", bytes => ImageIndex.SniffMediaType(bytes, "m.json")! },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void A_string_that_is_not_text_is_bad_input_naming_the_document(string latin1, Func<byte[], object> parse)
    {
        var error = Assert.Throws<StrataException>(() => parse(Encoding.Latin1.GetBytes(latin1)));
        Assert.Equal($"m.json: line 1: {JsonStrings.Undecodable}.", error.Message);
    }

    // Found by fuzzing (fuzz/run.sh oci-json): an array item that is not an object threw InvalidOperationException.
    [Theory]
    [InlineData("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"" + Digest + "\",\"size\":1},\"layers\":[\"x\"]}", "m.json: $.layers[0]: expected an object, found String.")]
    [InlineData("{\"schemaVersion\":2,\"manifests\":[[]]}", "m.json: $.manifests[0]: expected an object, found Array.")]
    public void An_array_item_that_is_not_an_object_is_bad_input_naming_its_path(string json, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var error = Assert.Throws<StrataException>(() => json.Contains("manifests", StringComparison.Ordinal) ? ImageIndex.Parse(bytes, null, "m.json") : ImageManifest.Parse(bytes, null, "m.json"));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_history_entry_that_is_not_an_object_is_bad_input()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[]},\"history\":[1]}");
        var error = Assert.Throws<StrataException>(() => ImageConfig.Parse(bytes, "c.json"));
        Assert.Equal("c.json: $.history[0]: expected an object, found Number.", error.Message);
    }

    [Fact]
    public void A_surrogate_pair_escape_is_text()
    {
        var config = ImageConfig.Parse(Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"author\":\"\\ud83d\\ude00\",\"rootfs\":{\"diff_ids\":[]}}"), "c.json");
        Assert.Equal("\U0001F600", config.Author);
    }
}
