namespace Strata.Images.Tests;

using Strata.Images.Dockerfile;

public sealed class DockerfileShellTests
{
    [Fact]
    public void Commands_split_on_operators_outside_quotes()
    {
        var script = ShellScript.Parse("set -eux; apt-get update && DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y 'a b' \"c;d\" || echo 'x && y' | tee /log 2>&1 & wait");
        Assert.Equal(["set", "apt-get", "apt-get", "echo", "tee", "wait"], script.Commands.Select(c => c.Program).ToArray());
        Assert.Equal(["install", "-y", "a b", "c;d"], script.Commands[2].Arguments);
        Assert.Equal("sudo", script.Commands[2].FirstProgram);
        Assert.Equal(["/log"], script.Commands[4].Arguments);
        Assert.Equal((1, 0, 1), (script.Commands[4].PipelinePosition, script.Commands[3].PipelinePosition, script.Pipelines.Count(p => p.Count == 2)));
    }

    [Fact]
    public void Comments_continuations_substitutions_and_heredocs()
    {
        var script = ShellScript.Parse("# leading comment\ncurl -o /x \\\n  https://a.example # trailing\nsh -c \"$(curl -fsSL https://b.example)\"\ncat > /f <<'EOF'\nrm -rf /\nEOF\necho done");
        Assert.Equal(["curl", "sh", "cat", "echo"], script.Commands.Select(c => c.Program).ToArray());
        Assert.Equal(["-o", "/x", "https://a.example"], script.Commands[0].Arguments);
        Assert.Equal("$(curl -fsSL https://b.example)", script.Commands[1].Arguments[1]);
    }

    [Fact]
    public void Pipefail_is_found_in_set_clusters_and_shell_options()
    {
        var script = ShellScript.Parse("set -euxo pipefail && curl x | tar -x");
        Assert.True(script.PipefailSetBefore(script.Commands[2]));
        Assert.False(ShellScript.Parse("curl x | tar -x; set -o pipefail").PipefailSetBefore(ShellScript.Parse("curl x | tar -x").Commands[1]));
        Assert.True(ShellOptions.SetsPipefail(["/bin/ash", "-eo", "pipefail", "-c"]));
        Assert.False(ShellOptions.SetsPipefail(["/bin/sh", "-c"]));
    }

    [Fact]
    public void Options_clusters_and_values()
    {
        var command = ShellScript.Parse("curl -fsSLo k https://x").Commands[0];
        Assert.False(command.HasOption("insecure", 'k', "o"));
        Assert.True(ShellScript.Parse("curl -kfsSL https://x").Commands[0].HasOption("insecure", 'k', "o"));
        Assert.Equal("install", ShellScript.Parse("apt-get -o Dpkg::Options::=--force-confdef -q install x").Commands[0].Subcommand("-o"));
    }

    [Fact]
    public void Lexer_splits_unquoted_variable_values_but_not_quoted_ones()
    {
        var lexer = new ShellLexer();
        bool Lookup(string name, out string? value)
        {
            value = name == "LIST" ? "a b" : null;
            return name == "LIST";
        }

        Assert.Equal(["a", "b", "a b"], lexer.ProcessWords("$LIST \"$LIST\"", Lookup).Words);
        Assert.True(lexer.ProcessWord("${UNKNOWN}", Lookup).Unresolved);
        Assert.Equal("x", lexer.ProcessWord("${UNKNOWN:-x}", Lookup).Text);
        Assert.Throws<FormatException>(() => lexer.ProcessWord("'open", Lookup));
    }
}
