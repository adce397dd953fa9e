namespace Strata.Images.Tests;

using Strata.Images.Dockerfile;
using Strata.Images.Dockerfile.Checks;
using Strata.Images.Tests.Support;

/// <summary>Where findings inside a RUN point, ONBUILD triggers, and Dockerfiles that must parse (quoted paths, Windows, flags).</summary>
public sealed class DockerfileLocationTests
{
    [Fact]
    public void A_command_inside_a_continued_run_is_located_on_its_own_line()
    {
        var document = DockerfileParser.Parse(
            "FROM debian:12\n" +
            "RUN set -eux; \\\n" +
            "    echo one; \\\n" +
            "    # a comment line inside the continuation\n" +
            "    apt-get update && \\\n" +
            "    apt-get install curl && \\\n" +
            "    rm -rf /var/lib/apt/lists/*\n",
            "Dockerfile");
        var run = document.Stages[0].Instructions[0];
        var script = run.Script!;
        var install = script.Commands.Single(c => c.Words.Contains("install"));
        Assert.Equal(6, script.LineOf(install));
        Assert.Equal("apt-get install curl", script.Fragment(install));
        Assert.Equal(2, script.LineOf(script.Commands[0]));
        Assert.Equal(7, script.LineOf(script.Commands.Single(c => c.Program == "rm")));
    }

    [Fact]
    public void A_command_in_a_heredoc_is_located_in_the_body()
    {
        var document = DockerfileParser.Parse("FROM debian:12\nRUN <<EOF\nset -e\n\napt-get install vim\nEOF\n", "Dockerfile");
        var script = document.Stages[0].Instructions[0].Script!;
        var install = script.Commands.Single(c => c.Program == "apt-get");
        Assert.Equal(5, script.LineOf(install));
    }

    [Fact]
    public void Findings_about_a_command_show_the_command_not_the_whole_run()
    {
        var text = "FROM debian:12\nRUN apt-get update \\\n && apt-get install curl \\\n && rm -rf /var/lib/apt/lists/*\n";
        var findings = TestScanners.Dockerfile.Lint(DockerfileParser.Parse(text, "Dockerfile"), "Dockerfile");
        var yes = Assert.Single(findings, f => f.RuleId == "DKF-024");
        Assert.Equal(3, yes.Location.Line);
        Assert.Equal("apt-get install curl", yes.Evidence!.Text);
    }

    [Fact]
    public void Onbuild_run_triggers_get_the_run_rules_on_the_onbuild_line()
    {
        var text = "FROM debian:12\nUSER 1000\nHEALTHCHECK CMD true\nONBUILD RUN apt-get install curl\n";
        var document = DockerfileParser.Parse(text, "Dockerfile");
        var trigger = document.Stages[0].Instructions.Single(i => i.Keyword == "ONBUILD").Trigger!;
        Assert.NotNull(trigger.Script);
        var runs = DockerfileFindings.Runs(document.Stages).ToList();
        Assert.Single(runs);
        var findings = TestScanners.Dockerfile.Lint(document, "Dockerfile");
        var yes = Assert.Single(findings, f => f.RuleId == "DKF-024");
        Assert.Equal(4, yes.Location.Line);
        Assert.Contains("ONBUILD", yes.Location.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR \"C:\\\"\nCOPY a \"C:\\Program Files\\Foo\"\n")]
    [InlineData("FROM alpine:3.19\nCOPY \"a b\" c /dst/\nVOLUME \"/data one\" /two\nEXPOSE 80 \"443\"\n")]
    [InlineData("FROM alpine:3.19\nCOPY ['a', 'b']\n")]
    [InlineData("FROM debian:12\nWORKDIR \"C:\\\"\nCOPY a \"C:\\dir\\\"\n", "a Windows path whose backslash meets the closing quote, without the escape directive")]
    [InlineData("FROM alpine:3.19\nRUN --mount=type=secret,id=npm,target=/root/.npmrc --network=none --mount=type=cache,target=/root/.npm npm ci\n")]
    [InlineData("FROM alpine:3.19\nRUN --network=none --mount=type=bind,source=.,target=/src,rw --security=insecure make -C /src\n")]
    [InlineData("# syntax=docker/dockerfile:1\nFROM alpine:3.19\nCOPY <<EOF /etc/app.conf\nkey = \"value with spaces\"\nEOF\nRUN <<-EOT bash\n\techo hi\n\tEOT\n")]
    [InlineData("FROM alpine:3.19\nRUN echo 'a \"quoted\" word' \"and 'another'\"\nLABEL description=\"a label with spaces\" other='single quoted'\n")]
    [InlineData("FROM alpine:3.19 AS base\nONBUILD COPY . /app\nONBUILD RUN --mount=type=cache,target=/root/.cache make\n")]
    public void Valid_dockerfiles_are_never_refused(string text, string? why = null)
    {
        var document = DockerfileParser.Parse(text, "Dockerfile");
        Assert.True(document.Stages.Count > 0, why);
        _ = TestScanners.Dockerfile.Lint(document, "Dockerfile");
    }

    [Fact]
    public void A_quoted_path_with_spaces_is_one_word()
    {
        var document = DockerfileParser.Parse("# escape=`\nFROM scratch\nCOPY a \"C:\\Program Files\\Foo\"\n", "Dockerfile");
        Assert.Equal(["a", "C:\\Program Files\\Foo"], document.Stages[0].Instructions[0].Words);
    }

    [Theory]
    [InlineData("FROM alpine:3.19\nONBUILD ONBUILD RUN true\n")]
    [InlineData("FROM alpine:3.19\nONBUILD FROM debian\n")]
    [InlineData("FROM alpine:3.19\nONBUILD MAINTAINER me\n")]
    public void Onbuild_of_onbuild_from_or_maintainer_stays_an_error(string text)
    {
        var error = Assert.Throws<Strata.Core.StrataException>(() => DockerfileParser.Parse(text, "Dockerfile"));
        Assert.Contains("Dockerfile:2", error.Message, StringComparison.Ordinal);
    }
}
