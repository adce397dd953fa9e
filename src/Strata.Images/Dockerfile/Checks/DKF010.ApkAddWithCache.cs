namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apk add without --no-cache in a stage that ships.</summary>
public sealed class ApkAddWithCache : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-010",
        Title = "apk add keeps its index cache",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Without --no-cache, `apk add` (usually after `apk update`) leaves the package index in /var/cache/apk in the layer: wasted space and stale metadata in every container.",
        Remediation = "Use `apk add --no-cache <packages>` (it fetches the index, installs and keeps nothing), or remove /var/cache/apk/* in the same RUN, or use a cache mount on /var/cache/apk.",
        References = ["https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Local_Cache"],
        Equivalents = ["Hadolint DL3019", "Dockle DKL-DI-0004"],
        Examples =
        [
            new RuleExample("FROM alpine:3.20\nRUN apk update && apk add curl", true),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache curl", false),
            new RuleExample("FROM alpine:3.20\nRUN apk add --update curl && rm -rf /var/cache/apk/*", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.ShippedStages))
        {
            var add = script.Running("apk").FirstOrDefault(c => c.Subcommand("-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "-t", "--virtual") == "add" && !c.HasOption("no-cache"));
            if (add is null || run.MountsOver("/var/cache/apk/") || run.MountsOver("/etc/apk/cache/"))
            {
                continue;
            }

            var cleaned = script.Commands.Any(c => c.Index > add.Index && ((c.Program == "rm" && c.Arguments.Any(a => a.StartsWith("/var/cache/apk", StringComparison.Ordinal))) || (c.Program == "apk" && c.Subcommand() == "cache" && c.Arguments.Contains("clean"))));
            if (!cleaned)
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, run, "apk add without --no-cache leaves the package index in /var/cache/apk.");
            }
        }
    }
}
