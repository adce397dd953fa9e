namespace Strata.Reporting.Tests;

public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("a\tb\n\n  c\r\n", "a b c")]
    [InlineData("\u001b[2J\u0007bell", "\\x1b[2J\\x07bell")]
    [InlineData("abc\u202eevil\u200b", "abc\\u202eevil\\u200b")]
    [InlineData("ünïcödé ✓ 日本", "ünïcödé ✓ 日本")]
    [InlineData("", "")]
    public void One_line_collapses_whitespace_and_shows_control_characters(string input, string expected) =>
        Assert.Equal(expected, DisplayText.OneLine(input));

    [Fact]
    public void Shorten_cuts_with_an_ellipsis_and_never_splits_a_surrogate_pair()
    {
        Assert.Equal("abcd…", DisplayText.Shorten("abcdefgh", 5));
        Assert.Equal("abc", DisplayText.Shorten("abc", 5));
        Assert.Equal("ab…", DisplayText.Shorten("ab😀cd", 4));
    }
}

public sealed class TerminalWidthTests
{
    [Theory]
    [InlineData("80", 200, 80)]
    [InlineData("132", null, 132)]
    [InlineData(null, 100, 100)]
    [InlineData(null, null, TerminalWidth.Default)]
    [InlineData("", null, TerminalWidth.Default)]
    [InlineData("wide", 90, 90)]
    [InlineData("0", null, TerminalWidth.Default)]
    [InlineData("10", null, TerminalWidth.Minimum)]
    public void Columns_then_the_terminal_then_the_default(string? columns, int? terminal, int expected) =>
        Assert.Equal(expected, TerminalWidth.Resolve(columns, terminal));
}

public sealed class ReportWritersTests
{
    [Fact]
    public void Formats_come_from_the_writers_and_the_first_is_the_default()
    {
        var scan = ReportWriterFactory.ForScan(new ReportSettings());
        Assert.Equal(["table", "json", "sarif"], scan.Formats);
        Assert.Equal("table", scan.DefaultFormat);
        Assert.Equal("table, json or sarif", scan.FormatList);
        Assert.Equal("sarif", scan.Get("SARIF").Format);

        var inspect = ReportWriterFactory.ForImageInspect(new ReportSettings());
        Assert.False(inspect.Supports("sarif"));
        var error = Assert.Throws<Strata.Core.StrataException>(() => inspect.Get("sarif"));
        Assert.Equal("--format sarif: image inspect writes table or json.", error.Message);
        Assert.Equal(["markdown", "json"], ReportWriterFactory.ForRule(new ReportSettings()).Formats);
    }
}
