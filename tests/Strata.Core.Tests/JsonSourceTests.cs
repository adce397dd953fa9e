namespace Strata.Core.Tests;

using System.Text;
using Strata.Core.Documents;

public sealed class JsonSourceTests
{
    [Fact]
    public void Every_value_has_its_line_under_its_json_path()
    {
        using var source = JsonSource.Parse(Encoding.UTF8.GetBytes("{\n \"a\": {\n  \"b\": [1,\n   {\"c d\": true}]\n },\n \"e\": null\n}"), "f.json");
        Assert.Equal(1, source.LineOf("$"));
        Assert.Equal(2, source.LineOf("$.a"));
        Assert.Equal(3, source.LineOf("$.a.b"));
        Assert.Equal(3, source.LineOf("$.a.b[0]"));
        Assert.Equal(4, source.LineOf("$.a.b[1]"));
        Assert.Equal(4, source.LineOf("$.a.b[1]['c d']"));
        Assert.Equal(6, source.LineOf("$.e"));
        Assert.Null(source.LineOf("$.zzz"));
    }

    // Found by fuzzing (fuzz/run.sh seccomp, runtime-config): such strings parsed, then GetString threw InvalidOperationException.
    // Latin-1 turns each char below into one byte: \u00FF is 0xFF, "\u00C3(" an unfinished sequence, "\u00ED\u00A0\u0080" an encoded surrogate.
    [Theory]
    [InlineData("{\n\"a\": \"\u00FF\"}", "f.json:2: $.a: ")]
    [InlineData("[1, \"\u00C3(\"]", "f.json:1: $[1]: ")]
    [InlineData("{\"\u00ED\u00A0\u0080\": 1}", "f.json:1: $: ")]
    public void Strings_that_are_not_utf8_are_refused_with_file_line_and_path(string latin1, string prefix)
    {
        var error = Assert.Throws<StrataException>(() => JsonSource.Parse(Encoding.Latin1.GetBytes(latin1), "f.json"));
        Assert.StartsWith(prefix + JsonStrings.Undecodable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_escape_is_refused_and_a_pair_is_read()
    {
        var error = Assert.Throws<StrataException>(() => JsonSource.Parse(Encoding.UTF8.GetBytes("{\"a\": [\"\\ud800x\"]}"), "f.json"));
        Assert.StartsWith("f.json:1: $.a[0]: ", error.Message, StringComparison.Ordinal);
        using var source = JsonSource.Parse(Encoding.UTF8.GetBytes("{\"a\": \"\\ud83d\\ude00\"}"), "f.json");
        Assert.Equal("\U0001F600", source.Root.GetProperty("a").GetString());
    }

    [Fact]
    public void Deep_nesting_is_refused_with_the_file_name()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var error = Assert.Throws<StrataException>(() => JsonSource.Parse(Encoding.UTF8.GetBytes(deep), "deep.json"));
        Assert.Equal("deep.json:1: JSON nested more than 128 deep (limit document-depth; raise it with --limits document-depth=N).", error.Message);
    }
}
