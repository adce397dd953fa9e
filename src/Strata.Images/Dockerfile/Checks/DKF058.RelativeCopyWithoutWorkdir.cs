namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>COPY to a relative destination in a stage that has set no WORKDIR (nor have the stages it is built FROM).</summary>
public sealed class RelativeCopyWithoutWorkdir : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-058",
        Title = "COPY to a relative path without WORKDIR",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "A relative COPY destination is resolved against the working directory, which this Dockerfile has not set: it is whatever the base image chose (often /, sometimes a home or application directory), and changes when the base image does. Files land somewhere the reader cannot see, and may shadow or be shadowed by the base image's files.",
        Remediation = "Set the directory first (`WORKDIR /app`, then `COPY src/ src/`) or copy to an absolute path (`COPY app.conf /etc/app/`).",
        References = ["https://docs.docker.com/reference/dockerfile/#copy", "https://docs.docker.com/reference/dockerfile/#workdir"],
        Equivalents = ["Hadolint DL3045"],
        Examples =
        [
            new RuleExample("FROM python:3.12-slim\nCOPY requirements.txt .", true),
            new RuleExample("FROM debian:12 AS base\nWORKDIR /srv\nFROM debian:12\nCOPY app.conf \"conf/app.conf\"", true, "the WORKDIR of another stage does not count"),
            new RuleExample("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .", false),
            new RuleExample("FROM debian:12 AS base\nWORKDIR /srv\nFROM base\nCOPY app.conf conf/", false, "inherited from the stage it is built FROM"),
            new RuleExample("FROM debian:12\nCOPY app.conf /etc/app/\nCOPY run.ps1 c:/app/", false, "absolute paths, Windows ones included"),
            new RuleExample("FROM debian:12\nCOPY app.conf ${CONF_DIR}", false, "a variable may hold an absolute path"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            var workdirSet = HasWorkdir(stage.BaseStage);
            foreach (var instruction in stage.Instructions)
            {
                workdirSet |= instruction.Keyword == "WORKDIR";
                if (workdirSet || instruction.Keyword != "COPY" || instruction.Words is not { Count: >= 2 } words)
                {
                    continue;
                }

                var written = WrittenText.Words(subject, instruction);
                var destination = words[^1];
                if (written.Count == 0 || written[^1].Trim('"', '\'').StartsWith('$') || IsAbsolute(destination))
                {
                    continue;
                }

                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, $"COPY to the relative path {destination}, with no WORKDIR set in stage {stage.Label}: where it lands depends on the base image.");
            }
        }
    }

    private static bool HasWorkdir(DockerfileStage? stage)
    {
        for (; stage is not null; stage = stage.BaseStage)
        {
            if (stage.Instructions.Any(i => i.Keyword == "WORKDIR"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAbsolute(string path) =>
        path.StartsWith('/') || path.StartsWith('\\') || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':');
}
