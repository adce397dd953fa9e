namespace Strata.Images.Dockerfile.Checks;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Images.Dockerfile.Context;

/// <summary>A RUN deletes files an earlier COPY or ADD of the image put there: they stay in that instruction's layer.</summary>
public sealed class CopiedThenDeleted : Check<DockerfileBuild>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-082",
        Title = "Files copied, then deleted in a later RUN",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Each COPY and ADD writes its files into a layer of its own, and a later `rm` only hides them in a new layer: the image is not smaller, and the deleted files can still be read from the earlier layer (`docker save`, `crane export`). An archive unpacked then removed, test or build files copied with `COPY . .` then cleaned up, and credential files removed after use all stay in the image. A file that holds a secret, or looks like a credential file, makes this a leak rather than waste. With the build context (`--context`), Strata knows every file a COPY brings; without it, only the paths the Dockerfile names. In the examples, `# context: PATH = CONTENT` comment lines are the files of the build context (`strata scan Dockerfile --context DIR`).",
        Remediation = "Do not copy what the image does not keep: bind-mount it for the one step that needs it (`RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt`), keep it out with `.dockerignore`, or use a build stage and copy only the result (`COPY --from=build /out/app /app`). For a credential, use `RUN --mount=type=secret`.",
        References = ["https://docs.docker.com/reference/dockerfile/#run---mounttypebind", "https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers"],
        Equivalents = [],
        Examples =
        [
            new RuleExample("FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz", true, "the archive stays in the COPY layer"),
            new RuleExample("FROM python:3.12-slim\nCOPY . /app\nRUN pip install /app && rm -rf /app/tests\n# context: setup.py = print(1)\n# context: tests/test_app.py = print(2)", true, "files a directory copy brought, known from the context"),
            new RuleExample("FROM gcc:14\nWORKDIR /src\nCOPY . .\nRUN make && rm -f *.c\n# context: main.c = int main(){}\n# context: Makefile = all:", true, "a glob relative to WORKDIR"),
            new RuleExample("FROM node:22-slim\nWORKDIR /app\nCOPY .npmrc package.json ./\nRUN npm ci && rm .npmrc", true, "a credential file: it can be read from the layer"),
            new RuleExample("FROM debian:12\nRUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt", false, "bind-mounted, never in a layer"),
            new RuleExample("FROM debian:12\nCOPY app/ /app/\nRUN apt-get update && rm -rf /var/lib/apt/lists/*", false, "deletes what the COPY did not bring"),
            new RuleExample("FROM python:3.12-slim\nCOPY . /app\nRUN rm -rf /app/tests\n# context: .dockerignore = tests\n# context: setup.py = print(1)\n# context: tests/test_app.py = print(2)", false, "the context sends no tests directory"),
            new RuleExample("FROM golang:1.22 AS build\nCOPY . /src\nRUN cd /src && go build -o /out/app . && rm -rf /src\nFROM scratch\nCOPY --from=build /out/app /app", false, "a build stage that does not ship"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileBuild subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Dockerfile.ShippedStages)
        {
            var earlier = new List<ContextCopy>();
            foreach (var baseStage in StageWalk.Chain(stage).Skip(1))
            {
                earlier.AddRange(subject.CopiesOf(baseStage));
            }

            var copies = subject.CopiesOf(stage).ToList();
            foreach (var (instruction, workdir) in StageWalk.WithWorkdir(stage))
            {
                earlier.AddRange(copies.Where(c => ReferenceEquals(c.Instruction, instruction)));
                if (instruction.Keyword != "RUN" || instruction.Script is not { } script || earlier.Count == 0)
                {
                    continue;
                }

                var changedDirectory = false;
                foreach (var command in script.Commands)
                {
                    if (command.Program is "cd" or "pushd" or "popd")
                    {
                        changedDirectory = true;
                        continue;
                    }

                    if (command.Program != "rm")
                    {
                        continue;
                    }

                    var (operands, recursive) = Operands(command.Arguments);
                    var targets = operands
                        .Where(o => !o.Contains('$', StringComparison.Ordinal) && !o.Contains('`', StringComparison.Ordinal) && (o.StartsWith('/') || !changedDirectory))
                        .Select(o => GoPath.Absolute(workdir, o))
                        .ToList();
                    foreach (var copy in earlier)
                    {
                        var deleted = copy.Paths.Where(p => p.Kind is CopiedKind.File or CopiedKind.SymbolicLink or CopiedKind.Unknown && targets.Any(t => Deletes(t, recursive, p))).ToList();
                        if (deleted.Count > 0)
                        {
                            yield return Report(subject, context, stage, instruction, command, copy, deleted);
                        }
                    }
                }
            }
        }
    }

    private Finding Report(DockerfileBuild subject, CheckContext context, DockerfileStage stage, DockerfileInstruction run, ShellCommand command, ContextCopy copy, List<CopiedPath> deleted)
    {
        var secret = deleted.FirstOrDefault(p => p.ContextPath is not null && subject.Secrets.ContainsKey(p.ContextPath));
        var credential = deleted.FirstOrDefault(p => CredentialFile.Classify(p.ContextPath ?? p.ImagePath) is not null || GoPath.Base(p.ImagePath).StartsWith(".env", StringComparison.Ordinal));
        var severity = secret is not null ? Severity.High : credential is not null ? Severity.Medium : Severity.Low;
        var what = deleted.Count == 1
            ? deleted[0].ImagePath
            : string.Create(CultureInfo.InvariantCulture, $"{deleted.Count} files (e.g. {deleted[0].ImagePath})");
        var copied = $"{copy.Instruction.Keyword} at line {copy.Instruction.StartLine.ToString(CultureInfo.InvariantCulture)}";
        var why = secret is not null ? $"; {secret.ImagePath} holds a secret ({subject.Secrets[secret.ContextPath!][0].Rule.Id}) that anyone can read from that layer"
            : credential is not null ? $"; {credential.ImagePath} looks like a credential file, still readable from that layer"
            : ", so the image is no smaller";
        var stay = deleted.Count == 1 ? "it stays" : "they stay";
        return DockerfileFindings.AtCommand(Rule, subject.Dockerfile, context.Target, stage, run, command, $"rm deletes {what} that {copied} added: {stay} in that layer{why}.", severity);
    }

    /// <summary>The paths an <c>rm</c> removes, and whether it recurses into directories.</summary>
    private static (List<string> Operands, bool Recursive) Operands(IReadOnlyList<string> arguments)
    {
        var operands = new List<string>();
        var recursive = false;
        var optionsEnded = false;
        foreach (var argument in arguments)
        {
            if (!optionsEnded && argument == "--")
            {
                optionsEnded = true;
            }
            else if (!optionsEnded && argument.StartsWith("--", StringComparison.Ordinal))
            {
                recursive |= argument == "--recursive";
            }
            else if (!optionsEnded && argument.Length > 1 && argument[0] == '-')
            {
                recursive |= argument.Contains('r', StringComparison.Ordinal) || argument.Contains('R', StringComparison.Ordinal);
            }
            else
            {
                operands.Add(argument);
            }
        }

        return (operands, recursive);
    }

    /// <summary>True when removing <paramref name="target"/> (a path, or a shell glob) removes the copied path.</summary>
    private static bool Deletes(string target, bool recursive, CopiedPath copied) =>
        Deletes(target, recursive, copied.ImagePath) || (copied.AlternativeImagePath is { } alternative && Deletes(target, recursive, alternative));

    private static bool Deletes(string target, bool recursive, string path)
    {
        if (!GoPath.HasWildcard(target))
        {
            return path == target || (recursive && (target == "/" || path.StartsWith(target + "/", StringComparison.Ordinal)));
        }

        var pattern = target.Split('/');
        var parts = path.Split('/');
        if (parts.Length < pattern.Length || (parts.Length > pattern.Length && !recursive))
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (!GlobPart(pattern[i], parts[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One path element against one element of a shell glob: <c>[!…]</c> negates, and a leading dot must be matched by a dot.</summary>
    private static bool GlobPart(string pattern, string name)
    {
        if (name.StartsWith('.') && !pattern.StartsWith('.'))
        {
            return false;
        }

        try
        {
            return GoPath.Match(pattern.Replace("[!", "[^", StringComparison.Ordinal), name);
        }
        catch (FormatException)
        {
            return pattern == name;
        }
    }
}
