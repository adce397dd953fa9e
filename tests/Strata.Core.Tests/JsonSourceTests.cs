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

    [Fact]
    public void Deep_nesting_is_refused_with_the_file_name()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var error = Assert.Throws<StrataException>(() => JsonSource.Parse(Encoding.UTF8.GetBytes(deep), "deep.json"));
        Assert.StartsWith("deep.json:1: malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n \"syscalls\": [\n  {\"names\": [\"read\", \"wr\xFFite\"]}]}", "f.json:3: the string at $.syscalls[0].names[1] is not valid UTF-8")]
    [InlineData("{\"a\": {\"ok\": 1, \"b\xC3\": 1}}", "f.json:1: a member name in $.a is not valid UTF-8")]
    [InlineData("{\"a\": \"\\ud800\"}", "f.json:1: the string at $.a is not valid UTF-8")]
    public void Invalid_utf8_in_a_string_is_an_error_naming_the_file_line_and_json_path(string text, string expected)
    {
        // JsonDocument accepts these; the first GetString on them threw "Cannot transcode invalid UTF-8", naming nothing.
        var bytes = text.Select(c => (byte)c).ToArray();
        var error = Assert.Throws<StrataException>(() => JsonSource.Parse(bytes, "f.json"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Error, error.ExitCode);
    }
}
