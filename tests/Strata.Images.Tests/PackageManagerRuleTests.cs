namespace Strata.Images.Tests;

using Strata.Core.Findings;
using Strata.Images.Dockerfile;
using Strata.Images.Dockerfile.Checks;
using Strata.Images.Tests.Support;

/// <summary>
/// What the package rules' examples cannot show: where a finding points inside a long RUN, what it quotes, how ONBUILD
/// triggers are reported, and the package manager table itself.
/// </summary>
public sealed class PackageManagerRuleTests
{
    private const string LongRun = """
        FROM debian:12
        RUN set -eux; \
            apt-get update; \
            apt-get install -y --no-install-recommends \
                ca-certificates=20230311 \
                curl; \
            pip install --no-cache-dir flask==3.0.3; \
            yarn install --frozen-lockfile; \
            yum install tomcat; \
            echo done
        USER 10001
        """;

    private static List<Finding> Lint(string text) => [.. TestScanners.Dockerfile.Lint(DockerfileParser.Parse(text, "Dockerfile"), "Dockerfile")];

    [Theory]
    [InlineData("DKF-009", 3, "apt-get update")]
    [InlineData("DKF-031", 4, "apt-get install -y --no-install-recommends")]
    [InlineData("DKF-046", 8, "yarn install --frozen-lockfile")]
    [InlineData("DKF-036", 9, "yum install tomcat")]
    [InlineData("DKF-040", 9, "yum install tomcat")]
    [InlineData("DKF-043", 9, "yum install tomcat")]
    public void A_finding_points_at_its_command_line_and_quotes_only_that_command(string rule, int line, string evidence)
    {
        var finding = Assert.Single(Lint(LongRun), f => f.RuleId == rule);
        Assert.Equal(line, finding.Location.Line);
        Assert.StartsWith(evidence, finding.Evidence!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("echo done", finding.Evidence.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("set -eux", finding.Evidence.Text, StringComparison.Ordinal);
        Assert.Equal("stage 0 RUN[1]", finding.Location.Subject);
    }

    [Fact]
    public void The_pinning_finding_names_the_unpinned_packages_only()
    {
        var finding = Assert.Single(Lint(LongRun), f => f.RuleId == "DKF-031");
        Assert.Contains("install curl without a version", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ca-certificates", finding.Message, StringComparison.Ordinal);
        Assert.Contains("curl", finding.Evidence!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_offending_commands_in_one_run_give_one_finding_at_the_first_naming_them_all()
    {
        var findings = Lint("FROM debian:12\nRUN apt-get install -y a=1 b \\\n && apt-get install -y c \\\n && apt-get install -y d=2\n").Where(f => f.RuleId == "DKF-031").ToList();
        var finding = Assert.Single(findings);
        Assert.Equal(2, finding.Location.Line);
        Assert.Contains("b, c", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Onbuild_triggers_are_reported_on_the_onbuild_line_in_every_stage()
    {
        const string Text = """
            FROM alpine:3.20 AS base
            ONBUILD RUN apk add curl \
                && pip install requests
            FROM alpine:3.20
            RUN true
            """;
        var findings = Lint(Text);
        foreach (var rule in new[] { "DKF-010", "DKF-022", "DKF-032", "DKF-034" })
        {
            var finding = Assert.Single(findings, f => f.RuleId == rule);
            Assert.Equal("stage base ONBUILD[1]", finding.Location.Subject);
        }

        Assert.Equal(2, Assert.Single(findings, f => f.RuleId == "DKF-034").Location.Line);
        Assert.Equal(3, Assert.Single(findings, f => f.RuleId == "DKF-032").Location.Line);
    }

    [Fact]
    public void Cache_rules_read_builder_stages_only_through_their_triggers_but_pinning_reads_every_stage()
    {
        var ids = Lint("FROM fedora:40 AS build\nRUN dnf install gcc\nFROM scratch\nCOPY --from=build /out /out\n").Select(f => f.RuleId).ToHashSet();
        Assert.Contains("DKF-038", ids);
        Assert.Contains("DKF-042", ids);
        Assert.DoesNotContain("DKF-045", ids);
    }

    [Fact]
    public void A_password_in_a_package_url_is_not_printed()
    {
        const string Token = "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";
        var finding = Assert.Single(Lint($"FROM python:3.12\nRUN pip install --no-cache-dir git+https://ci:{Token}@github.com/org/lib.git\n"), f => f.RuleId == "DKF-032");
        Assert.DoesNotContain(Token, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, finding.Evidence!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pip_no_cache_setting_is_read_in_order()
    {
        static bool Fires(string text) => Lint(text).Any(f => f.RuleId == "DKF-022");
        Assert.False(Fires("FROM python:3.12\nENV PIP_NO_CACHE_DIR=0\nRUN PIP_NO_CACHE_DIR=1 pip install -r r.txt\n"));
        Assert.True(Fires("FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN PIP_NO_CACHE_DIR=off pip install -r r.txt\n"));
        Assert.True(Fires("FROM python:3.12\nRUN pip install -r r.txt && export PIP_NO_CACHE_DIR=1\n"));
        Assert.False(Fires("FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=TRUE; pip install -r r.txt\n"));
    }

    [Fact]
    public void Every_program_of_the_table_is_read_and_no_wrapper_is()
    {
        foreach (var manager in PackageManagers.All)
        {
            foreach (var program in manager.Programs)
            {
                var line = manager.Read(ShellScript.Parse($"sudo /usr/bin/{program} -q install x").Commands[0]);
                Assert.NotNull(line);
                Assert.Equal("install", line.Verb);
            }

            foreach (var wrapper in PackageManagers.All.SelectMany(m => m.Wrappers))
            {
                Assert.Null(manager.Read(ShellScript.Parse($"{wrapper} install -y x").Commands[0]));
            }
        }
    }

    [Theory]
    [InlineData("apt-get -o Dpkg::Options::=--force-confold -t bookworm-backports install -y a", "install", "a")]
    [InlineData("dnf -y --setopt=tsflags=nodocs group install 'Development Tools'", "group install", "Development Tools")]
    [InlineData("yarn --cwd /app global add typescript", "global add", "typescript")]
    [InlineData("python3.12 -u -m pip --disable-pip-version-check install -i https://x/simple b", "install", "b")]
    [InlineData("gem install --no-document rails -- --with-x=1", "install", "rails")]
    [InlineData("zypper --root /mnt -n in -t pattern devel_basis", "in", "devel_basis")]
    public void Command_lines_are_read_with_their_options_values(string text, string verb, string operands)
    {
        var command = ShellScript.Parse(text).Commands[0];
        var line = PackageManagers.All.Select(m => m.Read(command)).Single(l => l is not null)!;
        Assert.Equal(verb, line.Verb);
        Assert.Equal(operands, string.Join(' ', line.Operands));
    }
}
