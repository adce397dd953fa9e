namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A pipe in RUN whose failure is hidden: no pipefail in the SHELL (of a shell that has it) or the script.</summary>
public sealed class PipeWithoutPipefail : Check<DockerfileDocument>
{
    /// <summary>Shells that have a pipefail option; /bin/sh may be dash, which has none (Debian, Ubuntu).</summary>
    private static readonly HashSet<string> PipefailShells = new(StringComparer.Ordinal) { "bash", "zsh", "ash", "ksh", "mksh" };

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-012",
        Title = "Pipe in RUN without pipefail",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "A pipeline's status is that of its last command: in `curl … | tar -x` a failed or truncated download is ignored as long as tar exits 0, and the build succeeds with a broken or missing file. Verification steps in pipelines can be defeated the same way. `SHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]` does not count: /bin/sh is dash on Debian and Ubuntu, which has no pipefail (as hadolint, the SHELL must name bash, zsh, ash, ksh or mksh). Unlike hadolint, a `set -o pipefail` at the start of the RUN counts: where the shell lacks the option the `set` fails and the build stops, so no failure goes unnoticed. A SHELL is inherited by stages built FROM the stage that sets it, as in BuildKit (hadolint forgets it at every FROM), and ONBUILD RUN triggers are checked too: they run in every child build.",
        Remediation = "Make failures anywhere in a pipe fail the build: `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before such RUNs (Alpine/BusyBox: `SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`), or start the RUN with `set -o pipefail &&` where the shell supports it.",
        References = ["https://docs.docker.com/build/building/best-practices/#using-pipes"],
        Equivalents = ["Hadolint DL4006", "Trivy DS-0032"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt", true),
            new RuleExample("FROM debian:12\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt", true, "/bin/sh may be dash, which has no pipefail"),
            new RuleExample("FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN true\nSHELL [\"/bin/sh\", \"-c\"]\nRUN wget -qO- https://example.com/a | sh", true, "a later SHELL drops it"),
            new RuleExample("FROM debian:12\nONBUILD RUN curl -fsSL https://example.com/app.tgz | tar -xz", true, "an ONBUILD trigger"),
            new RuleExample("FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt", false),
            new RuleExample("FROM debian:12 AS base\nSHELL [\"/usr/bin/bash\", \"-euo\", \"pipefail\", \"-c\"]\nFROM base\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt", false, "SHELL is inherited from the stage built FROM"),
            new RuleExample("FROM alpine:3.20\nRUN set -eo pipefail; wget -qO- https://example.com/app.tgz | tar -xz", false),
            new RuleExample("FROM debian:12\nRUN make || true", false, "|| is not a pipe"),
            new RuleExample("FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04\nSHELL [\"pwsh\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name", false, "not a POSIX shell"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            if (run.Shell.Count == 0 || !ShellOptions.IsPosixShell(run.Shell[0]))
            {
                continue;
            }

            var shell = ShellCommand.BaseName(run.Shell[0]);
            if (ShellOptions.SetsPipefail(run.Shell) && PipefailShells.Contains(shell))
            {
                continue;
            }

            var piped = script.Commands.FirstOrDefault(c => c.PipelinePosition == 1);
            if (piped is not null && !script.PipefailSetBefore(piped))
            {
                var why = ShellOptions.SetsPipefail(run.Shell) ? $"the SHELL sets pipefail on {run.Shell[0]}, which may be dash (no pipefail)" : "no pipefail";
                // Located and quoted as the whole pipeline.
                var pipeline = script.Commands.Where(c => c.Pipeline == piped.Pipeline).ToList();
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, pipeline[0] with { End = pipeline[^1].End }, $"RUN pipes into {piped.Program} with {why}: a failure before the pipe goes unnoticed.");
            }
        }
    }
}
