namespace Strata.Images.Tests;

using System.Diagnostics;
using System.Text;
using Strata.Core;
using Strata.Images.Dockerfile;
using Strata.Images.Tests.Support;

public sealed class DockerfileRobustnessTests
{
    private static readonly string[] Fragments =
    [
        "FROM ", "RUN ", "ENV ", "ARG ", "COPY ", "ADD ", "ONBUILD ", "SHELL ", "USER ", "WORKDIR ", "LABEL ", "EXPOSE ", "HEALTHCHECK ", "CMD ",
        "alpine", " AS x", "$A", "${A", "${A:-", "${A#*", "${A/x/y}", "}", "\"", "'", "\\", "`", "\n", "\\\n", "<<EOF", "<<-'E'", "\nEOF\n", "E\n",
        "[\"sh\", \"-c\", \"", "\"]", "A=1 ", "B=$A$A ", "--mount=type=cache,target=/x ", "--from=x ", "&& ", "| ", "; ", "$(", ")", "# c\n", "# escape=`\n", " ",
    ];

    /// <summary>Random Dockerfile-shaped text either parses and lints or fails with a one-line StrataException, quickly.</summary>
    [Fact]
    public void Garbage_never_crashes_or_hangs()
    {
        var random = new Random(20240611);
        var watch = Stopwatch.StartNew();
        for (var round = 0; round < 3000; round++)
        {
            var text = new StringBuilder("FROM alpine\n");
            var count = random.Next(1, 40);
            for (var i = 0; i < count; i++)
            {
                text.Append(Fragments[random.Next(Fragments.Length)]);
            }

            try
            {
                var document = DockerfileParser.Parse(text.ToString(), "Dockerfile");
                _ = TestScanners.Dockerfile.Lint(document, "Dockerfile");
            }
            catch (StrataException e)
            {
                Assert.StartsWith("Dockerfile", e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', e.Message);
            }
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Exponential_substitution_is_refused_with_the_line()
    {
        var text = new StringBuilder("FROM alpine\nENV A=abcdefgh\n");
        for (var i = 0; i < 40; i++)
        {
            text.Append("ENV A=$A$A\n");
        }

        var error = Assert.Throws<StrataException>(() => DockerfileParser.Parse(text.ToString(), "Dockerfile"));
        Assert.StartsWith("Dockerfile:", error.Message, StringComparison.Ordinal);
        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_with_the_line()
    {
        var nested = string.Concat(Enumerable.Repeat("${A:-", 5000)) + "x" + new string('}', 5000);
        var error = Assert.Throws<StrataException>(() => DockerfileParser.Parse($"FROM alpine\nENV B={nested}\n", "Dockerfile"));
        Assert.StartsWith("Dockerfile:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Large_files_are_linted_without_hanging()
    {
        var text = new StringBuilder("FROM debian:12\n");
        for (var i = 0; i < 5000; i++)
        {
            text.Append("RUN cd /src && apt-get install curl | tee /log && echo \"").Append(i).Append("\"\n");
        }

        var watch = Stopwatch.StartNew();
        var findings = TestScanners.Dockerfile.Lint(DockerfileParser.Parse(text.ToString(), "Dockerfile"), "Dockerfile");
        Assert.True(findings.Count + findings.Sum(f => f.Folded) >= 5000);

        // A hang guard against runaway (e.g. exponential) behaviour, not a performance measurement: speed is
        // measured by the benchmarks, and this bound is far above any loaded CI machine's time.
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3), $"took {watch.Elapsed}");
    }
}
