namespace Strata.Images.Dockerfile.Checks;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form: the program runs under /bin/sh -c.</summary>
public sealed class ShellFormCommand : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-054",
        Title = "CMD or ENTRYPOINT in shell form",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "In shell form (`CMD node server.js`) the container's main process is `/bin/sh -c`, not the program: `docker stop` and Kubernetes send SIGTERM to the shell, which does not pass it on, so the program is killed after the grace period instead of shutting down cleanly. A shell-form ENTRYPOINT also ignores the CMD and the arguments of `docker run`, and every form needs a shell in the image. HEALTHCHECK CMD in shell form only needs the shell, so it is reported as information.",
        Remediation = "Use the JSON (exec) form: `CMD [\"node\", \"server.js\"]`, `ENTRYPOINT [\"/app/server\"]`. When a shell is needed for variable expansion, make it hand over with exec: `CMD [\"sh\", \"-c\", \"exec node server.js --port $PORT\"]`. JSON needs double quotes: `['a']` is not JSON and runs as a shell command.",
        References = ["https://docs.docker.com/reference/dockerfile/#shell-and-exec-form", "https://docs.docker.com/reference/dockerfile/#entrypoint"],
        Equivalents = ["Hadolint DL3025"],
        Examples =
        [
            new RuleExample("FROM node:22-slim\nCMD node server.js", true),
            new RuleExample("FROM debian:12\nENTRYPOINT /usr/local/bin/app --serve", true),
            new RuleExample("FROM debian:12\nCMD ['/app', '--serve']", true, "single quotes are not JSON: shell form"),
            new RuleExample("FROM debian:12\nHEALTHCHECK --interval=30s CMD curl -fs http://localhost/ || exit 1", true, "information only"),
            new RuleExample("FROM node:22-slim\nENTRYPOINT [\"node\"]\nCMD [\"server.js\"]", false),
            new RuleExample("FROM debian:12\nCMD [\"sh\", \"-c\", \"exec /app --port $PORT\"]", false, "a shell on purpose, in exec form"),
            new RuleExample("FROM debian:12\nHEALTHCHECK CMD [\"/app\", \"health\"]\nHEALTHCHECK NONE", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword is "CMD" or "ENTRYPOINT" && !instruction.IsExecForm)
                {
                    var why = instruction.Keyword == "ENTRYPOINT"
                        ? "the program runs under /bin/sh -c, does not receive SIGTERM and ignores CMD and docker run arguments"
                        : "the program runs under /bin/sh -c and does not receive SIGTERM";
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, $"{instruction.Keyword} is in shell form: {why}; use [\"…\", \"…\"].");
                }
                else if (instruction.Keyword == "HEALTHCHECK" && HealthcheckCommand(instruction.Arguments) is { } command && !IsJsonArray(command))
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, "HEALTHCHECK CMD is in shell form: it needs /bin/sh in the image; the JSON form runs the program directly.", Severity.Info);
                }
            }
        }
    }

    /// <summary>What follows CMD in a HEALTHCHECK (its flags are already apart); null for HEALTHCHECK NONE.</summary>
    private static string? HealthcheckCommand(string arguments)
    {
        var trimmed = arguments.TrimStart();
        return trimmed.Length > 3 && trimmed.StartsWith("CMD", StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(trimmed[3]) ? trimmed[4..].Trim() : null;
    }

    private static bool IsJsonArray(string text)
    {
        if (!text.StartsWith('['))
        {
            return false;
        }

        try
        {
            return JsonSerializer.Deserialize(text, ExecFormJson.Default.StringArray) is { } array && array.All(a => a is not null);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
