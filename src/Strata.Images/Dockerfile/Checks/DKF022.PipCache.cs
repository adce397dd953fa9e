namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>pip install that keeps its download cache in a stage that ships.</summary>
public sealed class PipCache : PackageCacheCheck
{
    private static readonly HashSet<string> Truthy = new(StringComparer.OrdinalIgnoreCase) { "1", "true", "on", "yes" };

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-022",
        Title = "pip install keeps its cache",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "pip caches every wheel it downloads under ~/.cache/pip; in an image that is dead weight (often hundreds of megabytes for scientific stacks) stored in the layer. `PIP_NO_CACHE_DIR` set to 1, true, on or yes (by ENV before the RUN, in an inherited stage, with `export` or as a prefix of the command) turns the cache off; 0, off, no or false do not. pipx and pipenv manage their own environments and are not reported. Only the stages that ship and ONBUILD triggers are reported; hadolint (DL3042) reports builder stages too.",
        Remediation = "Use `pip install --no-cache-dir …`, set `ENV PIP_NO_CACHE_DIR=1`, or use a cache mount: `RUN --mount=type=cache,target=/root/.cache/pip pip install …`.",
        References = ["https://pip.pypa.io/en/stable/topics/caching/", "https://pip.pypa.io/en/stable/topics/configuration/#environment-variables"],
        Equivalents = ["Hadolint DL3042"],
        Examples =
        [
            new RuleExample("FROM python:3.12-slim\nRUN pip install -r requirements.txt", true),
            new RuleExample("FROM python:3.12-slim\nRUN python3 -m pip install flask==3.0.3", true),
            new RuleExample("FROM python:3.12-slim\nRUN pip3 install flask==3.0.3", true),
            new RuleExample("FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt", false),
            new RuleExample("FROM python:3.12-slim\nRUN pip install flask==3.0.3 --no-cache-dir", false, "the option after the package"),
            new RuleExample("FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask", false),
            new RuleExample("FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=yes\nRUN pip install flask", false),
            new RuleExample("FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=off\nRUN pip install flask", true, "off does not disable the cache"),
            new RuleExample("FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=0\nRUN pip install flask", true),
            new RuleExample("FROM python:3.12-slim\nRUN pip install flask\nENV PIP_NO_CACHE_DIR=1", true, "set after the RUN"),
            new RuleExample("FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=true\nFROM base\nRUN pip install flask", false, "inherited from the stage it is built FROM"),
            new RuleExample("FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=true\nFROM python:3.12-slim\nRUN pip install flask", true, "set in an unrelated stage"),
            new RuleExample("FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=1 pip install flask", false),
            new RuleExample("FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=false pip install flask", true),
            new RuleExample("FROM python:3.12-slim\nRUN export PIP_NO_CACHE_DIR=on && pip install flask", false),
            new RuleExample("FROM python:3.12-slim\nRUN export PIP_NO_CACHE_DIR=no && pip install flask", true),
            new RuleExample("FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask", false),
            new RuleExample("FROM python:3.12-slim\nRUN --mount=type=tmpfs,target=/root/.cache/pip pip install flask", false),
            new RuleExample("FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache pip install flask", false, "the mount covers ~/.cache"),
            new RuleExample("FROM python:3.12-slim\nRUN pip install flask && pip cache purge", false),
            new RuleExample("FROM python:3.12-slim\nRUN pip install flask && rm -rf /root/.cache/pip", false),
            new RuleExample("FROM python:3.12-slim\nRUN pipx install black==24.4.2", false, "pipx is not pip"),
            new RuleExample("FROM python:3.12-slim\nRUN pipenv install", false),
            new RuleExample("FROM python:3.12-slim AS build\nRUN pip install flask\nFROM scratch\nCOPY --from=build /out /out", false, "the build stage does not ship"),
            new RuleExample("FROM python:3.12-slim\nONBUILD RUN pip install -r requirements.txt", true),
            new RuleExample("FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nONBUILD RUN pip install -r requirements.txt", false, "the child image inherits the ENV"),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Pip;

    private protected override string Message(PackageCommandLine line) => $"{line.Program} install without --no-cache-dir keeps downloaded packages in the layer.";

    private protected override bool KeepsNothing(DockerfileStage stage, DockerfileInstruction run, ShellScript script, PackageCommandLine line)
    {
        // The last setting before the command wins: ENV, then export/assignments earlier in the script, then the command's own prefix.
        var value = PackageRuns.EnvironmentOf(stage, run).GetValueOrDefault("PIP_NO_CACHE_DIR");
        foreach (var command in script.Commands.Where(c => c.Index < line.Command.Index && (c.Program is "export" or "" || c.FirstProgram is "export")))
        {
            value = Assigned(command.Words, command.Words.Count) ?? value;
        }

        value = Assigned(line.Command.Words, line.Command.ProgramIndex) ?? value;
        return value is not null && Truthy.Contains(value);
    }

    private static string? Assigned(IReadOnlyList<string> words, int count)
    {
        string? value = null;
        foreach (var word in words.Take(count))
        {
            if (word.StartsWith("PIP_NO_CACHE_DIR=", StringComparison.Ordinal))
            {
                value = word["PIP_NO_CACHE_DIR=".Length..];
            }
        }

        return value;
    }
}
