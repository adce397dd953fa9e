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
}
