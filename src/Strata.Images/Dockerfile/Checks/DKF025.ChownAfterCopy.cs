namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>RUN chown/chmod -R over files an earlier COPY/ADD of the same stage put there: every file is stored twice.</summary>
public sealed class ChownAfterCopy : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-025",
        Title = "chown or chmod after COPY duplicates the files",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Changing the owner or mode of copied files in a later RUN writes a second full copy of each of them into a new layer (layers record whole files, not metadata changes): the image carries the files twice, and the first, wrongly owned copy stays readable in the earlier layer.",
        Remediation = "Set owner and mode as the files are copied: `COPY --chown=10001:10001 --chmod=0755 src/ /app/`.",
        References = ["https://docs.docker.com/reference/dockerfile/#copy---chown---chmod"],
        Equivalents = [],
        Examples =
        [
            new RuleExample("FROM debian:12\nCOPY app/ /app/\nRUN chown -R 10001:10001 /app", true),
            new RuleExample("FROM debian:12\nWORKDIR /srv\nCOPY . /srv/app\nRUN chmod -R g+w /srv/app/data", true, "a directory inside the copied tree"),
            new RuleExample("FROM debian:12\nCOPY --chown=10001:10001 app/ /app/", false),
            new RuleExample("FROM debian:12\nCOPY app/ /app/\nRUN mkdir /data && chown 10001 /data", false, "a directory the COPY did not create"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            var copied = new List<(string Path, DockerfileInstruction Copy)>();
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword is "COPY" or "ADD" && instruction.Words is { Count: >= 2 } words && !instruction.Unresolved && words[^1].StartsWith('/'))
                {
                    copied.Add((Normalize(words[^1]), instruction));
                    continue;
                }

                if (instruction.Keyword != "RUN" || instruction.Script is null || copied.Count == 0)
                {
                    continue;
                }

                foreach (var command in instruction.Script.Commands.Where(c => c.Program is "chown" or "chmod" or "chgrp"))
                {
                    var hit = command.Arguments.Where(a => a.StartsWith('/')).Select(Normalize)
                        .SelectMany(path => copied.Where(c => path == c.Path || path.StartsWith(c.Path + "/", StringComparison.Ordinal)))
                        .Select(c => ((int Line, string Path)?)(c.Copy.StartLine, c.Path))
                        .FirstOrDefault();
                    if (hit is { } found)
                    {
                        yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, instruction, command, $"{command.Program} rewrites files that {found.Path} received from the {(stage.Instructions.First(i => i.StartLine == found.Line).Keyword)} at line {found.Line}; set them with --chown/--chmod there.");
                        break;
                    }
                }
            }
        }
    }

    private static string Normalize(string path)
    {
        var trimmed = path.TrimEnd('/');
        if (trimmed.EndsWith("/.", StringComparison.Ordinal))
        {
            trimmed = trimmed[..^2];
        }

        return trimmed.Length == 0 ? "/" : trimmed;
    }
}
