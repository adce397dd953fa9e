namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>COPY or ADD of several sources to a destination that does not end with a slash.</summary>
public sealed class MultipleSourcesToFile : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-053",
        Title = "Several sources copied to a destination without a trailing slash",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "With more than one source, COPY and ADD need a directory as destination, written with a trailing slash; without it the builder stops with \"When using COPY with more than one source file, the destination must be a directory and end with a /\". hadolint checks COPY only; ADD has the same requirement and is checked too.",
        Remediation = "End the destination with a slash: `COPY package.json package-lock.json /app/`.",
        References = ["https://docs.docker.com/reference/dockerfile/#destination"],
        Equivalents = ["Hadolint DL3021", "Trivy DS-0011"],
        Examples =
        [
            new RuleExample("FROM node:22-slim\nCOPY package.json package-lock.json /app", true),
            new RuleExample("FROM node:22-slim\nWORKDIR /app\nCOPY [\"package.json\", \"yarn.lock\", \"dest\"]", true, "exec form"),
            new RuleExample("FROM debian:12\nADD a.conf b.conf \"/etc/app\"", true, "quotes do not make it a directory"),
            new RuleExample("FROM node:22-slim\nCOPY package.json package-lock.json /app/", false),
            new RuleExample("FROM node:22-slim\nCOPY package.json /app", false, "one source may go to a file"),
            new RuleExample("FROM node:22-slim\nCOPY --chown=10001 a.js b.js \"/app/\"", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var copy in stage.Instructions.Where(i => i.Keyword is "COPY" or "ADD" && i.Words is { Count: > 2 } && !i.Unresolved))
            {
                var destination = copy.Words![^1];
                if (!destination.EndsWith('/') && !destination.EndsWith('\\'))
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, copy, $"{copy.Keyword} has {copy.Words.Count - 1} sources, so its destination {destination} must end with / (a directory).");
                }
            }
        }
    }
}
