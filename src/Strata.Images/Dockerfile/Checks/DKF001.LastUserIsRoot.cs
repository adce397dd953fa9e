namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The final stage runs as root: its last USER is root/0, or it has none.</summary>
public sealed class LastUserIsRoot : IDockerfileCheck
{
    public Rule Rule { get; } = new()
    {
        Id = "DKF-001",
        Title = "Image runs as root",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "The final stage sets no USER, or its last USER is root (0), so containers from this image run as root unless the runtime overrides it. Root in a container is root on the host whenever isolation fails: a writable host mount, a kernel bug, a leftover capability.",
        Remediation = "Create an unprivileged account and switch to it at the end of the final stage: `RUN useradd --uid 10001 --no-create-home app` then `USER 10001`. Use a numeric UID so Kubernetes runAsNonRoot can verify it.",
        References = ["https://docs.docker.com/reference/dockerfile/#user"],
        Equivalents = ["Hadolint DL3002", "Dockle CIS-DI-0001"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update\nUSER root", true),
            new RuleExample("FROM debian:12\nCOPY app /app", true, "no USER at all"),
            new RuleExample("FROM debian:12\nUSER 10001", false),
        ],
    };

    public IEnumerable<Finding> Evaluate(DockerfileDocument dockerfile, string target)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        var stages = dockerfile.Stages;
        if (stages.Count == 0)
        {
            yield break;
        }

        var final = stages[^1];

        var lastUser = final.Instructions.LastOrDefault(i => i.Keyword == "USER");
        if (lastUser is null)
        {
            yield return Finding.For(Rule, target, new Location { File = dockerfile.File, Line = final.From.StartLine, Subject = "stage " + (final.Name ?? final.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)) }, $"The final stage (FROM {final.BaseImage}) sets no USER; it runs as the base image's user, usually root.");
            yield break;
        }

        var user = lastUser.Arguments.Split(':')[0].Trim();
        if (user is "root" or "0")
        {
            yield return Finding.For(Rule, target, new Location { File = dockerfile.File, Line = lastUser.StartLine }, $"The last USER of the final stage is {user}.", Evidence.Plain(lastUser.Original.Trim()));
        }
    }
}
