namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A stage that uses both curl and wget.</summary>
public sealed class CurlAndWget : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-075",
        Title = "Both curl and wget in one stage",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "curl and wget do the same job; a stage that uses both needs both installed (more packages, more vulnerabilities to track) and gets two sets of defaults for redirects, retries, TLS and failure on HTTP errors to keep right.",
        Remediation = "Pick one and use it for every download of the stage, e.g. `curl -fsSLo FILE URL`.",
        References = ["https://docs.docker.com/build/building/best-practices/#run"],
        Equivalents = ["Hadolint DL4001", "Trivy DS-0014"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN wget -q https://example.com/a.tgz\nRUN curl -fsSLO https://example.com/b.tgz", true),
            new RuleExample("FROM debian:12\nRUN curl -fsSL https://example.com/k.asc -o /k.asc && wget -q https://example.com/a.deb", true, "in one RUN"),
            new RuleExample("FROM debian:12\nRUN curl -fsSLO https://example.com/a.tgz && curl -fsSLO https://example.com/b.tgz", false),
            new RuleExample("FROM debian:12 AS fetch\nRUN wget -q https://example.com/a.tgz\nFROM debian:12\nRUN curl -fsSLO https://example.com/b.tgz", false, "different stages"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            // As hadolint: RUNs and ONBUILD RUN triggers are counted apart (the triggers run in another build).
            var runs = stage.Instructions.Where(i => i.Keyword == "RUN");
            var triggers = stage.Instructions.Select(i => i.Trigger).OfType<DockerfileInstruction>().Where(t => t.Keyword == "RUN");
            foreach (var group in new[] { runs, triggers })
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var run in group.Where(r => r.Script is not null))
                {
                    var used = run.Script!.Commands.Where(c => c.Program is "curl" or "wget").ToList();
                    seen.UnionWith(used.Select(c => c.Program));
                    if (used.Count > 0 && seen.Count == 2)
                    {
                        var here = used.Select(c => c.Program).Distinct().ToList();
                        var what = here.Count == 2 ? "this RUN runs both" : $"this RUN runs {here[0]}, an earlier one {(here[0] == "curl" ? "wget" : "curl")}";
                        yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, used[0], $"Stage {stage.Label} uses both curl and wget: {what}.");
                    }
                }
            }
        }
    }
}
