namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>wget with its default progress output: thousands of lines in the build log.</summary>
public sealed class WgetProgressBar : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-060",
        Title = "wget without --progress or -q",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "Without a terminal, wget prints a dot progress display that grows with the download: a large file fills the build log with thousands of lines, which hides the output that matters and slows CI log handling.",
        Remediation = "Choose the output: `wget --progress=dot:giga URL`, or `-q`/`--quiet`, `-nv`/`--no-verbose`, or send the log elsewhere with `-o FILE`/`-a FILE`.",
        References = ["https://www.gnu.org/software/wget/manual/wget.html#Logging-and-Input-File-Options"],
        Equivalents = ["Hadolint DL3047"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN wget https://example.com/big.tar.gz", true),
            new RuleExample("FROM debian:12\nRUN wget -O /tmp/a.tgz https://example.com/a.tgz && tar -xzf /tmp/a.tgz", true, "-O names the output file, not the log"),
            new RuleExample("FROM debian:12\nRUN wget -qO- https://example.com/a.tgz | tar -xz", false),
            new RuleExample("FROM debian:12\nRUN wget --progress=dot:giga https://example.com/big.tar.gz", false),
            new RuleExample("FROM debian:12\nRUN wget -nv https://example.com/a && wget --no-verbose https://example.com/b", false),
            new RuleExample("FROM debian:12\nRUN wget -o /tmp/wget.log https://example.com/a", false, "the log goes to a file"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            foreach (var wget in script.Running("wget"))
            {
                var quiet = CommandFlags.Has(wget, "progress", "q", "quiet", "o", "output-file", "a", "append-output", "no-verbose") || wget.Arguments.Contains("-nv");
                if (!quiet)
                {
                    yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, wget, "wget prints its progress display into the build log; add --progress=dot:giga, -q or -nv.");
                }
            }
        }
    }
}
