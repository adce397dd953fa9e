namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Two RUNs in a row, with the same flags, each running a single command: one RUN would do.</summary>
public sealed class ConsecutiveRuns : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-071",
        Title = "Consecutive RUNs that could be one",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "Each RUN adds a layer and a cache step. Two single-command RUNs in a row with the same mounts and options make the image and its history longer for nothing, and what one step leaves behind (a cache, a temporary file) cannot be cleaned up by the next: it stays in the earlier layer. As hadolint does, RUNs that already chain several commands are left alone, on the view that they were split on purpose.",
        Remediation = "Join them: `RUN apt-get update && apt-get install -y --no-install-recommends curl` instead of two RUNs, or write a here-document script (`RUN <<EOF … EOF`).",
        References = ["https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers"],
        Equivalents = ["Hadolint DL3059"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN mkdir -p /app\nRUN chown 10001 /app", true),
            new RuleExample("FROM debian:12\nRUN --mount=type=cache,target=/root/.cache pip install -r r.txt\nRUN --mount=type=cache,target=/root/.cache pip check", true, "the same mounts"),
            new RuleExample("FROM debian:12\nRUN make && make install\nRUN make clean", false, "the first RUN already chains commands"),
            new RuleExample("FROM debian:12\nRUN mkdir -p /app\nWORKDIR /app\nRUN touch ready", false, "not consecutive"),
            new RuleExample("FROM debian:12\nRUN --mount=type=secret,id=npm npm ci\nRUN npm run build", false, "different mounts"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            DockerfileInstruction? previous = null;
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword != "RUN")
                {
                    previous = null;
                    continue;
                }

                if (previous is not null && IsSingleCommand(previous) && IsSingleCommand(instruction) && previous.Flags.SequenceEqual(instruction.Flags))
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, $"This RUN and the one at line {previous.StartLine} each run one command with the same options; join them into one RUN.");
                }

                previous = instruction;
            }
        }
    }

    /// <summary>One simple command, counting those inside $( … ) and backquotes as hadolint does.</summary>
    private static bool IsSingleCommand(DockerfileInstruction run) =>
        run.Script is { Commands: [var only] } && !only.Words.Any(w => w.Contains("$(", StringComparison.Ordinal) || w.Contains('`', StringComparison.Ordinal));
}
