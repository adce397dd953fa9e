namespace Strata.Images.Dockerfile.Checks;

using System.Globalization;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Secrets;

/// <summary>What the Dockerfile checks share: findings located at an instruction, and the RUN commands to analyse.</summary>
internal static class DockerfileFindings
{
    /// <summary>
    /// A finding at <paramref name="instruction"/>: file and line, a line-independent subject (stage and the
    /// instruction's rank in it, so fingerprints survive unrelated edits), and the instruction as evidence
    /// with anything secret-looking redacted.
    /// </summary>
    public static Finding At(Rule rule, DockerfileDocument dockerfile, string target, DockerfileStage? stage, DockerfileInstruction instruction, string message, Severity? severity = null, Evidence? evidence = null)
    {
        return Finding.For(
            rule,
            target,
            new Location { File = dockerfile.File, Line = instruction.StartLine, Subject = Subject(stage, instruction) },
            message,
            evidence ?? Evidence.Plain(SecretText.Mask(instruction.Original.Trim())),
            severity);
    }

    /// <summary>
    /// A finding about one command of a RUN: located at the line where <paramref name="command"/> starts (not the
    /// RUN's first line) and with that command, not the whole RUN, as evidence.
    /// </summary>
    public static Finding AtCommand(Rule rule, DockerfileDocument dockerfile, string target, DockerfileStage? stage, DockerfileInstruction run, ShellCommand command, string message, Severity? severity = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(command);
        var line = run.Script?.LineOf(command) ?? run.StartLine;
        var fragment = run.Script?.Fragment(command) ?? command.ToString();
        return Finding.For(
            rule,
            target,
            new Location { File = dockerfile.File, Line = line, Subject = Subject(stage, run) },
            message,
            Evidence.Plain(SecretText.Mask(fragment.Trim())),
            severity);
    }

    /// <summary>
    /// Every RUN of <paramref name="stages"/> whose commands could be read, and every <c>ONBUILD RUN</c> trigger
    /// (linted like the RUN it carries, reported on the ONBUILD line: it runs in every image built FROM this one).
    /// </summary>
    public static IEnumerable<(DockerfileStage Stage, DockerfileInstruction Run, ShellScript Script)> Runs(IEnumerable<DockerfileStage> stages) =>
        from stage in stages
        from instruction in stage.Instructions
        let run = instruction.Keyword == "ONBUILD" ? instruction.Trigger : instruction
        where run is not null && run.Keyword == "RUN" && run.Script is not null
        select (stage, run, run.Script!);

    /// <summary>
    /// The instructions of <paramref name="stage"/> with each ONBUILD replaced by its trigger (same lines), for
    /// rules that lint the instruction a trigger carries the way hadolint does.
    /// </summary>
    public static IEnumerable<DockerfileInstruction> WithTriggers(DockerfileStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return stage.Instructions.Select(i => i.Keyword == "ONBUILD" && i.Trigger is { } trigger ? trigger : i);
    }

    private static string Subject(DockerfileStage? stage, DockerfileInstruction instruction)
    {
        if (stage is null)
        {
            return instruction.Keyword;
        }

        if (ReferenceEquals(instruction, stage.From) || instruction == stage.From)
        {
            return "stage " + stage.Label + " FROM";
        }

        var onbuild = stage.Instructions.FirstOrDefault(i => i.Keyword == "ONBUILD" && ReferenceEquals(i.Trigger, instruction));
        instruction = onbuild ?? instruction;
        var rank = 0;
        foreach (var candidate in stage.Instructions)
        {
            if (candidate.Keyword == instruction.Keyword)
            {
                rank++;
            }

            if (ReferenceEquals(candidate, instruction))
            {
                break;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"stage {stage.Label} {instruction.Keyword}[{rank}]");
    }
}
