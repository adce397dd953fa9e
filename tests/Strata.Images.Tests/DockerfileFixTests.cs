namespace Strata.Images.Tests;

using Strata.Images.Dockerfile;
using Strata.Images.Dockerfile.Fixes;
using Strata.Images.Tests.Support;
using Strata.Testing;

/// <summary><c>strata fix</c>: each mechanical fix, the diff, and that fixed files re-lint clean and still build with buildah.</summary>
public sealed class DockerfileFixTests
{
    private static readonly DockerfileFixer Fixer = new(TestScanners.Dockerfile, DockerfileFixer.BuiltIn);

    [Theory]
    [InlineData("FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n")]
    [InlineData("FROM debian:12\nRUN apt-get update \\\n && apt-get install --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n", "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n")]
    [InlineData("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n", "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n")]
    [InlineData("FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl\nEOF\n", "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl\nrm -rf /var/lib/apt/lists/*\nEOF\n")]
    [InlineData("FROM alpine:3.20\nRUN apk add --update curl\n", "FROM alpine:3.20\nRUN apk add --no-cache --update curl\n")]
    [InlineData("FROM python:3.12-slim\nRUN pip install requests==2.32.3\n", "FROM python:3.12-slim\nRUN pip install --no-cache-dir requests==2.32.3\n")]
    [InlineData("FROM alpine:3.20\nADD app.conf /etc/app.conf\n", "FROM alpine:3.20\nCOPY app.conf /etc/app.conf\n")]
    [InlineData("FROM alpine:3.20\nadd --chown=1:1 app.conf /etc/app.conf\n", "FROM alpine:3.20\ncopy --chown=1:1 app.conf /etc/app.conf\n")]
    [InlineData("FROM alpine:3.20\nWORKDIR /srv\nRUN cd /opt && make\nCMD [\"./app\"]\n", "FROM alpine:3.20\nWORKDIR /srv\nWORKDIR /opt\nRUN make\nWORKDIR /srv\nCMD [\"./app\"]\n")]
    [InlineData("FROM alpine:3.20\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc\n", "FROM alpine:3.20\nRUN --mount=type=secret,id=npm_token,required=true export NPM_TOKEN=\"$(cat /run/secrets/npm_token)\" && echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc\n")]
    [InlineData("FROM node:22-slim\nUSER 1000\nCMD node server.js --port 8080\n", "FROM node:22-slim\nUSER 1000\nCMD [\"node\", \"server.js\", \"--port\", \"8080\"]\n")]
    [InlineData("FROM debian:12\nUSER 1000\nENTRYPOINT exec /usr/local/bin/app 'a b'\n", "FROM debian:12\nUSER 1000\nENTRYPOINT [\"/usr/local/bin/app\", \"a b\"]\n")]
    public void Each_fix_rewrites_only_what_its_rule_names(string before, string after)
    {
        var result = Fixer.Fix(before, "Dockerfile");
        Assert.Equal(after, result.FixedText);
    }

    [Theory]
    [InlineData("FROM alpine:3.20\nRUN cd build && make\n", "DKF-016", "relative directory")]
    [InlineData("FROM alpine:3.20\nRUN cd /opt && make\n", "DKF-016", "the previous WORKDIR is the base image's, unknown")]
    [InlineData("FROM alpine:3.20\nWORKDIR /srv\nRUN make && cd /opt && make install\n", "DKF-016", "cd is not the first command")]
    [InlineData("FROM alpine:3.20\nARG API_TOKEN\nRUN ./fetch \"$API_TOKEN\"\nCMD [\"sh\", \"-c\", \"echo $API_TOKEN\"]\n", "DKF-002", "the variable is used at run time too")]
    [InlineData("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl # keep lists\n", "DKF-009", "a trailing shell comment")]
    [InlineData("FROM node:22-slim\nUSER 1000\nCMD node server.js --port $PORT\n", "DKF-054", "the shell expands a variable")]
    [InlineData("FROM node:22-slim\nUSER 1000\nCMD node a.js && node b.js\n", "DKF-054", "a list of commands")]
    public void A_fix_declines_what_it_cannot_do_safely(string before, string rule, string why)
    {
        var result = Fixer.Fix(before, "Dockerfile");
        Assert.True(result.Remaining.Any(f => f.RuleId == rule), why);
        Assert.DoesNotContain(result.Applied, a => a.RuleId == rule);
    }

    /// <summary>Every flagged example of every rule with a fix: the fixed text parses, and the rule's finding is gone where a fix applied.</summary>
    [Fact]
    public void Fixed_rule_examples_parse_and_relint_clean_for_the_fixed_rule()
    {
        var fixable = DockerfileFixer.BuiltIn.Select(f => f.RuleId).ToHashSet(StringComparer.Ordinal);
        var tried = 0;
        foreach (var check in TestScanners.Dockerfile.Checks.Where(c => fixable.Contains(c.Rule.Id)))
        {
            foreach (var example in check.Rule.Examples.Where(e => e.Flagged))
            {
                var result = Fixer.Fix(example.Text, "Dockerfile", new HashSet<string> { check.Rule.Id });
                var relinted = TestScanners.Dockerfile.Lint(DockerfileParser.Parse(result.FixedText, "Dockerfile"), "Dockerfile");
                if (result.Applied.Count > 0)
                {
                    tried++;
                    Assert.True(relinted.All(f => f.RuleId != check.Rule.Id), $"{check.Rule.Id} still fires after fixing:\n{example.Text}\n---\n{result.FixedText}");
                }
            }
        }

        Assert.True(tried >= 8, $"only {tried} examples were fixed");
    }

    [Fact]
    public async Task The_diff_applies_with_patch_and_keeps_crlf()
    {
        using var temp = new TempDirectory();
        var before = "FROM debian:12\r\nWORKDIR /srv\r\nRUN apt-get update \\\r\n && apt-get install curl\r\nADD a.conf /etc/a.conf\r\nUSER 1000\r\n";
        var path = temp.Combine("Dockerfile");
        await File.WriteAllTextAsync(path, before);
        var result = Fixer.Fix(before, "Dockerfile");
        Assert.Contains("\r\n", result.FixedText, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", result.FixedText.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var diff = UnifiedDiff.Create(before, result.FixedText, "Dockerfile");
        Assert.StartsWith("--- a/Dockerfile\n+++ b/Dockerfile\n@@ ", diff, StringComparison.Ordinal);
        var run = await ExternalTool.RunAsync("patch", ["-p1", "--binary", "-d", temp.Path], stdin: diff);
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        Assert.Equal(result.FixedText, await File.ReadAllTextAsync(path));
    }

    [Theory]
    [InlineData("a\nb\nc\n", "a\nB\nc\n")]
    [InlineData("", "x\n")]
    [InlineData("x\n", "")]
    [InlineData("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n")]
    [InlineData("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15", "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\nthirteen\n14\n15")]
    [InlineData("no newline", "no newline\n")]
    public async Task Unified_diffs_apply_with_patch(string before, string after)
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.Combine("f"), before);
        var diff = UnifiedDiff.Create(before, after, "f");
        var run = await ExternalTool.RunAsync("patch", ["-p1", "--binary", "-d", temp.Path], stdin: diff);
        Assert.True(run.ExitCode == 0, diff + run.StdOut + run.StdErr);
        Assert.Equal(after, File.Exists(temp.Combine("f")) ? await File.ReadAllTextAsync(temp.Combine("f")) : string.Empty);
    }

    /// <summary>
    /// A Dockerfile with a secret build argument, cd, ADD, apt without its options: fixed, it re-lints clean for those
    /// rules, builds with buildah (the secret passed as a build secret) and the secret is nowhere in the image.
    /// </summary>
    [Fact]
    public async Task A_fixed_dockerfile_still_builds_with_buildah_and_keeps_the_secret_out()
    {
        var rootfs = await DebianRootfs.GetRootfsTarAsync();
        using var temp = new TempDirectory();
        var context = temp.Combine("context");
        Directory.CreateDirectory(context);
        File.Copy(rootfs, Path.Combine(context, "rootfs.tar"));
        await File.WriteAllTextAsync(Path.Combine(context, "app.conf"), "key=1\n");
        const string Secret = "tok-8d7c6b5a4f3e2d1c0b9a";
        await File.WriteAllTextAsync(temp.Combine("token"), Secret);
        const string Original = """
            FROM scratch AS base
            ADD rootfs.tar /
            FROM base
            WORKDIR /srv
            ARG API_TOKEN
            RUN test -n "$API_TOKEN" && apt-get install bash
            ADD app.conf /etc/app.conf
            RUN cd /etc && cat app.conf > /srv/copied
            USER 1000

            """;
        var result = Fixer.Fix(Original, "Containerfile");
        Assert.Equal(["DKF-002", "DKF-004", "DKF-008", "DKF-016", "DKF-024"], result.Applied.Select(a => a.RuleId).Distinct().Order(StringComparer.Ordinal).ToArray());
        Assert.DoesNotContain(result.Remaining, f => result.Applied.Any(a => a.RuleId == f.RuleId));
        await File.WriteAllTextAsync(Path.Combine(context, "Containerfile"), result.FixedText);

        string[] storage = ["--storage-driver", "vfs", "--root", temp.Combine("root"), "--runroot", temp.Combine("run")];
        try
        {
            var build = await ExternalTool.RunAsync("buildah", [.. storage, "bud", "--isolation", "chroot", "--secret", $"id=api_token,src={temp.Combine("token")}", "-f", Path.Combine(context, "Containerfile"), "-t", "localhost/strata-fix-test", context], timeout: TimeSpan.FromMinutes(10));
            Assert.True(build.ExitCode == 0, result.FixedText + "\n" + build.StdErr);
            var history = await ExternalTool.RunCheckedAsync("buildah", [.. storage, "inspect", "--type", "image", "localhost/strata-fix-test"]);
            Assert.DoesNotContain(Secret, history, StringComparison.Ordinal);
            Assert.Contains("\"WorkingDir\": \"/srv\"", history, StringComparison.Ordinal);
            var container = (await ExternalTool.RunCheckedAsync("buildah", [.. storage, "from", "localhost/strata-fix-test"])).Trim();
            var root = (await ExternalTool.RunCheckedAsync("buildah", [.. storage, "mount", container])).Trim();
            Assert.Equal("key=1\n", await File.ReadAllTextAsync(Path.Combine(root, "srv", "copied")));
        }
        finally
        {
            await ExternalTool.RunAsync("buildah", [.. storage, "rm", "--all"]);
            await ExternalTool.RunAsync("buildah", [.. storage, "rmi", "--all", "--force"]);
        }
    }
}
