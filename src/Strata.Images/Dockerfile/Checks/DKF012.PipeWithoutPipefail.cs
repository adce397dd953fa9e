namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A pipe in RUN whose failure is hidden: no pipefail in the SHELL or the script.</summary>
public sealed class PipeWithoutPipefail : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-012",
        Title = "Pipe in RUN without pipefail",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "A pipeline's status is that of its last command: in `curl … | tar -x` a failed or truncated download is ignored as long as tar exits 0, and the build succeeds with a broken or missing file. Verification steps in pipelines can be defeated the same way.",
        Remediation = "Make failures anywhere in a pipe fail the build: `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before such RUNs (Alpine/BusyBox: `SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`), or start the RUN with `set -o pipefail &&` where the shell supports it.",
        References = ["https://docs.docker.com/build/building/best-practices/#using-pipes"],
        Equivalents = ["Hadolint DL4006"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt", true),
            new RuleExample("FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt", false),
            new RuleExample("FROM alpine:3.20\nRUN set -eo pipefail; wget -qO- https://example.com/app.tgz | tar -xz", false),
            new RuleExample("FROM debian:12\nRUN make || true", false, "|| is not a pipe"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            if (run.Shell.Count == 0 || !ShellOptions.IsPosixShell(run.Shell[0]) || ShellOptions.SetsPipefail(run.Shell))
            {
                continue;
            }

            var piped = script.Commands.FirstOrDefault(c => c.PipelinePosition == 1);
            if (piped is not null && !script.PipefailSetBefore(piped))
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, run, $"RUN pipes into {piped.Program} with no pipefail: a failure before the pipe goes unnoticed.");
            }
        }
    }
}
