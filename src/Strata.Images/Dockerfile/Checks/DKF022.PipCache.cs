namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>pip install that keeps its download cache in a stage that ships.</summary>
public sealed class PipCache : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-022",
        Title = "pip install keeps its cache",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "pip caches every wheel it downloads under ~/.cache/pip; in an image that is dead weight (often hundreds of megabytes for scientific stacks) stored in the layer.",
        Remediation = "Use `pip install --no-cache-dir …`, set `ENV PIP_NO_CACHE_DIR=1`, or use a cache mount: `RUN --mount=type=cache,target=/root/.cache/pip pip install …`.",
        References = ["https://pip.pypa.io/en/stable/topics/caching/"],
        Equivalents = ["Hadolint DL3042"],
        Examples =
        [
            new RuleExample("FROM python:3.12-slim\nRUN pip install -r requirements.txt", true),
            new RuleExample("FROM python:3.12-slim\nRUN python3 -m pip install flask", true),
            new RuleExample("FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt", false),
            new RuleExample("FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask", false),
            new RuleExample("FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.ShippedStages))
        {
            if (stage.Environment.ContainsKey("PIP_NO_CACHE_DIR") || run.Mounts.Any(m => m.GetValueOrDefault("type") == "cache" && (m.GetValueOrDefault("target") ?? string.Empty).Contains("pip", StringComparison.Ordinal)))
            {
                continue;
            }

            var install = script.Commands.FirstOrDefault(c => IsPipInstall(c) && !c.HasOption("no-cache-dir") && !c.Arguments.Contains("--no-cache-dir"));
            if (install is not null)
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, run, "pip install without --no-cache-dir keeps downloaded packages in the layer.");
            }
        }
    }

    private static bool IsPipInstall(ShellCommand command)
    {
        var arguments = command.Arguments;
        if (command.Program.StartsWith("pip", StringComparison.Ordinal) && command.Program.TrimStart('p', 'i').All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return command.Subcommand() == "install";
        }

        if (command.Program.StartsWith("python", StringComparison.Ordinal))
        {
            var m = arguments.ToList().IndexOf("-m");
            return m >= 0 && m + 2 < arguments.Count && arguments[m + 1] == "pip" && arguments[m + 2] == "install";
        }

        return false;
    }
}
