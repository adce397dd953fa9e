namespace Strata.Images.Tests;

using Strata.Core;
using Strata.Images.Dockerfile;
using Strata.Images.Dockerfile.Checks;

public sealed class DockerfileParserTests
{
    [Fact]
    public void Continuations_comments_flags_and_exec_form()
    {
        var document = DockerfileParser.Parse("""
            # syntax=docker/dockerfile:1
            FROM --platform=linux/amd64 golang:1.22 AS build
            RUN apt-get update \
            # a comment inside the continuation
                && apt-get install -y git
            COPY --from=build --chown=10001:10001 /out /app
            CMD ["/app", "--serve"]
            """, "Dockerfile");
        Assert.Equal(["FROM", "RUN", "COPY", "CMD"], document.Instructions.Select(i => i.Keyword).ToArray());
        var run = document.Instructions[1];
        Assert.Equal(3, run.StartLine);
        Assert.Equal(5, run.EndLine);
        Assert.Contains("&& apt-get install -y git", run.Arguments, StringComparison.Ordinal);
        Assert.Equal("build", document.Instructions[2].Flag("from"));
        Assert.Equal(["/app", "--serve"], document.Instructions[3].JsonArguments);
        var stage = Assert.Single(document.Stages);
        Assert.Equal(("golang:1.22", "build", "linux/amd64"), (stage.BaseImage, stage.Name, stage.Platform));
    }

    [Fact]
    public void Escape_directive_changes_the_continuation_character()
    {
        var document = DockerfileParser.Parse("# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n  && echo done\n", "Dockerfile");
        Assert.Equal('`', document.EscapeCharacter);
        Assert.Equal("dir c:\\   && echo done", document.Instructions[1].Arguments);
    }

    [Fact]
    public void Heredocs_are_bodies_not_instructions()
    {
        var document = DockerfileParser.Parse("FROM alpine\nRUN <<EOF\nset -e\nUSER root\nEOF\nUSER 10001\n", "Dockerfile");
        Assert.Equal(["FROM", "RUN", "USER"], document.Instructions.Select(i => i.Keyword).ToArray());
        Assert.Equal("set -e\nUSER root\n", Assert.Single(document.Instructions[1].Heredocs).Body);
        Assert.Empty(new LastUserIsRoot().Evaluate(document, "Dockerfile"));
    }

    [Theory]
    [InlineData("FROM alpine\nRUN <<EOF\necho\n", "Dockerfile:2", "not closed")]
    [InlineData("FROM alpine\nBOGUS x\n", "Dockerfile:2", "not a Dockerfile instruction")]
    [InlineData("# escape=x\nFROM alpine\n", "Dockerfile:1", "escape")]
    public void Bad_dockerfiles_name_the_line(string text, string where, string what)
    {
        var error = Assert.Throws<StrataException>(() => DockerfileParser.Parse(text, "Dockerfile"));
        Assert.StartsWith(where, error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_examples_match_what_the_check_does()
    {
        var check = new LastUserIsRoot();
        foreach (var example in check.Rule.Examples)
        {
            var flagged = check.Evaluate(DockerfileParser.Parse(example.Text, "Dockerfile"), "Dockerfile").Any();
            Assert.True(example.Flagged == flagged, example.Text);
        }
    }
}
