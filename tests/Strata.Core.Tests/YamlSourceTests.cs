namespace Strata.Core.Tests;

using Strata.Core.Documents;
using Strata.Core.Ignoring;

/// <summary>
/// Malformed YAML on which YamlDotNet throws InvalidOperationException or ArgumentException instead of a YamlException:
/// found by fuzzing (fuzz/run.sh kubernetes, ignore-file) and minimised. Every reader of YAML refuses them as bad input.
/// </summary>
public sealed class YamlSourceTests
{
    public static TheoryData<string> ParserFailures => ["-\r[\r4", "- :", "%TAG ! ", "...\0", "!!]"];

    [Theory]
    [MemberData(nameof(ParserFailures))]
    public void A_document_the_parser_fails_on_is_malformed_yaml(string text)
    {
        var error = Assert.Throws<StrataException>(() => YamlSource.Parse(text, "deploy.yaml"));
        Assert.StartsWith("deploy.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Error, error.ExitCode);
    }

    [Theory]
    [MemberData(nameof(ParserFailures))]
    public void An_ignore_file_the_parser_fails_on_is_malformed_yaml(string text)
    {
        var error = Assert.Throws<StrataException>(() => IgnoreFile.Parse(text, ".strataignore"));
        Assert.StartsWith(".strataignore", error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed YAML", error.Message, StringComparison.Ordinal);
    }
}
