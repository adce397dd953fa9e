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

    /// <summary>Every RUN of <paramref name="stages"/> whose commands could be read.</summary>
    public static IEnumerable<(DockerfileStage Stage, DockerfileInstruction Run, ShellScript Script)> Runs(IEnumerable<DockerfileStage> stages) =>
        from stage in stages
        from run in stage.Instructions
        where run.Keyword == "RUN" && run.Script is not null
        select (stage, run, run.Script!);

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
