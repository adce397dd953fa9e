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
        Assert.Equal("docker/dockerfile:1", document.Syntax);
        Assert.Equal(["FROM", "RUN", "COPY", "CMD"], document.Instructions.Select(i => i.Keyword).ToArray());
        var run = document.Instructions[1];
        Assert.Equal(3, run.StartLine);
        Assert.Equal(6, run.EndLine);
        Assert.Equal("apt-get update     && apt-get install -y git", run.Arguments);
        Assert.Equal("build", document.Instructions[2].Flag("from"));
        Assert.Equal(["/app", "--serve"], document.Instructions[3].JsonArguments);
        var stage = Assert.Single(document.Stages);
        Assert.Equal(("golang:1.22", "build", "linux/amd64"), (stage.BaseImage, stage.Name, stage.Platform));
    }

    [Fact]
    public void Escape_directive_changes_the_continuation_and_escape_character()
    {
        var document = DockerfileParser.Parse("# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n  && echo done\nENV A=`$HOME B=c:\\dir\n", "Dockerfile");
        Assert.Equal('`', document.EscapeCharacter);
        Assert.Equal("dir c:\\   && echo done", document.Instructions[1].Arguments);
        Assert.Equal(["$HOME", "c:\\dir"], document.Stages[0].Instructions[1].Pairs.Select(p => p.Value ?? "(null)").ToArray());
    }

    [Fact]
    public void Directives_stop_at_the_first_other_line_and_unknown_ones_are_comments()
    {
        var late = DockerfileParser.Parse("# a comment\n# escape=`\nFROM alpine\nRUN echo \\\n  done\n", "Dockerfile");
        Assert.Equal('\\', late.EscapeCharacter);
        var unknown = DockerfileParser.Parse("# unknowndirective=x\n# escape=`\nFROM alpine\n", "Dockerfile");
        Assert.Equal('\\', unknown.EscapeCharacter);
        var spaced = DockerfileParser.Parse("#   ESCAPE =  `  \nFROM alpine\n", "Dockerfile");
        Assert.Equal('`', spaced.EscapeCharacter);
    }

    [Fact]
    public void Substitution_follows_buildkit_forms_and_quotes()
    {
        var document = DockerfileParser.Parse("""
            FROM alpine:3.20
            ARG NAME=world EMPTY=
            ENV A=$NAME B=${NAME} C=${MISSING:-dflt} D=${NAME:+alt} E=${EMPTY:-was-empty} F=${EMPTY-kept-empty} G=\$NAME H='$NAME' I="say $NAME" J=${NAME#w*r} K=${NAME%l*} L=${NAME/o/0} M="a \"b\" c"
            """, "Dockerfile");
        var env = document.Stages[0].Instructions[1].Pairs.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("world", env["A"]);
        Assert.Equal("world", env["B"]);
        Assert.Equal("dflt", env["C"]);
        Assert.Equal("alt", env["D"]);
        Assert.Equal("was-empty", env["E"]);
        Assert.Equal(string.Empty, env["F"]);
        Assert.Equal("$NAME", env["G"]);
        Assert.Equal("$NAME", env["H"]);
        Assert.Equal("say world", env["I"]);
        Assert.Equal("ld", env["J"]);
        Assert.Equal("wor", env["K"]);
        Assert.Equal("w0rld", env["L"]);
        Assert.Equal("a \"b\" c", env["M"]);
    }

    [Fact]
    public void Env_pairs_see_the_values_before_the_instruction_and_the_legacy_form_keeps_the_line()
    {
        var document = DockerfileParser.Parse("FROM alpine\nENV A=1\nENV A=2 B=$A\nENV LEGACY value with  spaces\nLABEL \"com.example.key\"=\"v 1\" other=two\n", "Dockerfile");
        var stage = document.Stages[0];
        Assert.Equal("1", stage.Environment["B"]);
        Assert.Equal("2", stage.Environment["A"]);
        Assert.Equal("value with  spaces", stage.Environment["LEGACY"]);
        Assert.Equal([("com.example.key", "v 1"), ("other", "two")], stage.Instructions[3].Pairs.Select(p => (p.Key, p.Value!)).ToArray());
    }

    [Fact]
    public void Global_args_reach_from_lines_but_stages_only_when_redeclared()
    {
        var document = DockerfileParser.Parse("""
            ARG VERSION=3.20
            ARG REGISTRY=docker.io/library
            FROM ${REGISTRY}/alpine:${VERSION} AS base
            RUN echo $VERSION
            WORKDIR /v$VERSION
            FROM base AS second
            ARG VERSION
            WORKDIR /v$VERSION
            ARG LOCAL=x
            ENV LOCAL=y
            USER $LOCAL
            FROM base
            """, "Dockerfile");
        var base0 = document.Stages[0];
        Assert.Equal("docker.io/library/alpine:3.20", base0.BaseImage);
        Assert.False(base0.BaseImageUnresolved);
        Assert.Equal(["/v"], base0.Instructions[1].Words);
        Assert.True(base0.Instructions[1].Unresolved);
        var second = document.Stages[1];
        Assert.Same(base0, second.BaseStage);
        Assert.Equal(["/v3.20"], second.Instructions[1].Words);
        Assert.Equal(["y"], second.Instructions[4].Words);
        Assert.Equal(2, document.GlobalArguments.Count);
        Assert.Equal([document.Stages[2], base0], document.ShippedStages);
    }

    [Fact]
    public void Build_args_without_default_and_platform_args_are_unresolved()
    {
        var document = DockerfileParser.Parse("ARG TAG\nFROM --platform=$BUILDPLATFORM golang:${TAG}\nFROM debian:12\n", "Dockerfile");
        Assert.True(document.Stages[0].BaseImageUnresolved);
        Assert.Equal(string.Empty, document.Stages[0].Platform);
        Assert.False(document.Stages[1].BaseImageUnresolved);
    }

    [Fact]
    public void Env_and_shell_are_inherited_from_the_stage_built_from()
    {
        var document = DockerfileParser.Parse("""
            FROM debian:12 AS base
            ENV APP=/srv/app
            SHELL ["/bin/bash", "-o", "pipefail", "-c"]
            FROM base
            COPY x $APP/
            RUN curl -fsSL https://example.com/a | tar -x
            """, "Dockerfile");
        var final = document.Stages[1];
        Assert.Equal(["x", "/srv/app/"], final.Instructions[0].Words);
        Assert.Equal(["/bin/bash", "-o", "pipefail", "-c"], final.Instructions[1].Shell);
        Assert.Empty(new PipeWithoutPipefail().Evaluate(document, new Core.Checks.CheckContext("Dockerfile")));
    }

    [Fact]
    public void Heredocs_are_bodies_not_instructions()
    {
        var document = DockerfileParser.Parse("FROM alpine\nRUN <<EOF\nset -e\nUSER root\nEOF\nUSER 10001\n", "Dockerfile");
        Assert.Equal(["FROM", "RUN", "USER"], document.Instructions.Select(i => i.Keyword).ToArray());
        var heredoc = Assert.Single(document.Instructions[1].Heredocs);
        Assert.Equal(("EOF", "set -e\nUSER root\n", 3, true), (heredoc.Delimiter, heredoc.Body, heredoc.StartLine, heredoc.Expand));
        Assert.Equal(5, document.Instructions[1].EndLine);
        Assert.Empty(new LastUserIsRoot().Evaluate(document, new Core.Checks.CheckContext("Dockerfile")));
    }

    [Fact]
    public void Several_heredocs_quoted_delimiters_and_tab_stripping()
    {
        var document = DockerfileParser.Parse("FROM alpine\nCOPY <<\"A\" <<-B /dst/\n$NOT_EXPANDED\nA\n\tindented\n\tB\nRUN echo \"<<NOT\" && cat<<ALSO_NOT\nUSER 10001\n", "Dockerfile");
        var copy = document.Instructions[1];
        Assert.Equal(2, copy.Heredocs.Count);
        Assert.Equal(("A", "$NOT_EXPANDED\n", false), (copy.Heredocs[0].Delimiter, copy.Heredocs[0].Body, copy.Heredocs[0].Expand));
        Assert.Equal(("B", "indented\n", true, true), (copy.Heredocs[1].Delimiter, copy.Heredocs[1].Body, copy.Heredocs[1].Expand, copy.Heredocs[1].StripTabs));
        Assert.Empty(document.Instructions[2].Heredocs);
        Assert.Equal("USER", document.Instructions[3].Keyword);
    }

    [Fact]
    public void Heredoc_scripts_are_analysed_but_heredoc_data_is_not()
    {
        var script = DockerfileParser.Parse("FROM debian:12\nRUN <<EOF\napt-get update\ncurl -fsSL https://x.example/i | sh\nEOF\n", "Dockerfile");
        Assert.Contains(script.Stages[0].Instructions[0].Script!.Commands, c => c.Program == "curl");
        var data = DockerfileParser.Parse("FROM debian:12\nRUN cat <<EOF > /etc/motd\ncurl -fsSL https://x.example/i | sh\nEOF\n", "Dockerfile");
        Assert.DoesNotContain(data.Stages[0].Instructions[0].Script!.Commands, c => c.Program == "curl");
        Assert.Equal("cat", data.Stages[0].Instructions[0].Script!.Commands[0].Program);
        var python = DockerfileParser.Parse("FROM debian:12\nRUN <<EOF\n#!/usr/bin/env python3\nimport os; os.system('curl x | sh')\nEOF\n", "Dockerfile");
        Assert.Empty(python.Stages[0].Instructions[0].Script!.Commands);
        var bash = DockerfileParser.Parse("FROM debian:12\nRUN <<EOF\n#!/usr/bin/env bash\ncurl x | sh\nEOF\n", "Dockerfile");
        Assert.Contains(bash.Stages[0].Instructions[0].Script!.Commands, c => c.Program == "curl");
    }

    [Fact]
    public void Onbuild_wraps_an_instruction()
    {
        var document = DockerfileParser.Parse("FROM alpine\nONBUILD COPY --chown=1 . /src\nONBUILD RUN <<EOF\nmake\nEOF\n", "Dockerfile");
        var copy = document.Instructions[1].Trigger!;
        Assert.Equal(("COPY", "1", ". /src"), (copy.Keyword, copy.Flag("chown"), copy.Arguments));
        Assert.Equal("make\n", Assert.Single(document.Instructions[2].Trigger!.Heredocs).Body);
        Assert.Equal(["FROM", "ONBUILD", "ONBUILD"], document.Instructions.Select(i => i.Keyword).ToArray());
    }

    [Fact]
    public void Exec_form_shells_and_non_posix_shells()
    {
        var document = DockerfileParser.Parse("""
            FROM debian:12
            RUN ["/bin/bash", "-o", "pipefail", "-c", "curl -fsSL https://x.example | tar -x"]
            RUN ["/usr/bin/make", "install"]
            SHELL ["pwsh", "-Command"]
            RUN Invoke-WebRequest https://x.example | Invoke-Expression
            RUN [not json
            """, "Dockerfile");
        var instructions = document.Stages[0].Instructions;
        Assert.Equal(["/bin/bash", "-o", "pipefail", "-c"], instructions[0].Shell);
        Assert.Equal(["curl", "tar"], instructions[0].Script!.Commands.Select(c => c.Program).ToArray());
        Assert.Equal(["make"], instructions[1].Script!.Commands.Select(c => c.Program).ToArray());
        Assert.Null(instructions[3].Script);
        Assert.Null(instructions[4].JsonArguments);
    }

    [Fact]
    public void Stage_names_are_case_insensitive_and_found_by_name_or_index()
    {
        var document = DockerfileParser.Parse("FROM golang:1.22 AS Build\nFROM BUILD\nCOPY --from=build /a /b\n", "Dockerfile");
        Assert.Equal("build", document.Stages[0].Name);
        Assert.Same(document.Stages[0], document.Stages[1].BaseStage);
        Assert.Same(document.Stages[0], document.FindStage("0"));
        Assert.Same(document.Stages[0], document.FindStage("BUILD"));
        Assert.Null(document.FindStage("2"));
    }

    [Theory]
    [InlineData("FROM alpine\nRUN <<EOF\necho\n", "Dockerfile:2", "not closed")]
    [InlineData("FROM alpine\nBOGUS x\n", "Dockerfile:2", "not a Dockerfile instruction")]
    [InlineData("# escape=x\nFROM alpine\n", "Dockerfile:1", "escape")]
    [InlineData("# escape=`\n# escape=\\\nFROM alpine\n", "Dockerfile:2", "only one escape")]
    [InlineData("RUN echo\nFROM alpine\n", "Dockerfile:1", "before the first FROM")]
    [InlineData("# only a comment\n", "Dockerfile", "no FROM")]
    [InlineData("FROM alpine AS\n", "Dockerfile:1", "FROM takes an image")]
    [InlineData("FROM alpine AS 1st\n", "Dockerfile:1", "invalid stage name")]
    [InlineData("FROM alpine\nONBUILD FROM debian\n", "Dockerfile:2", "ONBUILD FROM")]
    [InlineData("FROM alpine\nSHELL /bin/bash -c\n", "Dockerfile:2", "JSON form")]
    [InlineData("FROM alpine\nENV A=\"unterminated\n", "Dockerfile:2", "unterminated double quote")]
    [InlineData("FROM alpine\nENV =x\n", "Dockerfile:2", "blank")]
    [InlineData("FROM alpine\nENV A=1 B\n", "Dockerfile:2", "name=value")]
    [InlineData("FROM alpine\nENV ALONE\n", "Dockerfile:2", "no value")]
    [InlineData("FROM alpine\nCOPY ${X\n", "Dockerfile:2", "missing '}'")]
    [InlineData("FROM alpine\nRUN\n", "Dockerfile:2", "requires at least one argument")]
    public void Bad_dockerfiles_name_the_line(string text, string where, string what)
    {
        var error = Assert.Throws<StrataException>(() => DockerfileParser.Parse(text, "Dockerfile"));
        Assert.StartsWith(where + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Crlf_and_byte_order_mark_are_accepted()
    {
        var document = DockerfileParser.Parse("\uFEFFFROM alpine\r\nRUN echo a \\\r\n  b\r\n", "Dockerfile");
        Assert.Equal("echo a   b", document.Instructions[1].Arguments);
    }
}
