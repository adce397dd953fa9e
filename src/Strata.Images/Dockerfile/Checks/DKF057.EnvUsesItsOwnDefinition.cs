namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>An ENV whose value refers to a variable that the same ENV defines (and nothing defined before).</summary>
public sealed class EnvUsesItsOwnDefinition : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-057",
        Title = "ENV refers to a variable it defines itself",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "All values of one ENV are substituted before any of its variables is set, so in `ENV APP_HOME=/opt/app PATH=$APP_HOME/bin:$PATH` the `$APP_HOME` is the value from before this line, usually empty: PATH gets `/bin`, not `/opt/app/bin`. The variable then holds something other than what the line reads like.",
        Remediation = "Define the variable in an earlier ENV: `ENV APP_HOME=/opt/app` then `ENV PATH=$APP_HOME/bin:$PATH`.",
        References = ["https://docs.docker.com/reference/dockerfile/#environment-replacement"],
        Equivalents = ["Hadolint DL3044"],
        Examples =
        [
            new RuleExample("FROM debian:12\nENV APP_HOME=/opt/app PATH=$APP_HOME/bin:$PATH", true),
            new RuleExample("FROM debian:12\nENV LOG=\"${DIR}/app.log\" DIR=/var/log/app", true, "order does not matter: neither is set yet"),
            new RuleExample("FROM debian:12\nENV APP_HOME=/opt/app\nENV PATH=$APP_HOME/bin:$PATH", false),
            new RuleExample("FROM debian:12\nENV PATH=/opt/app/bin:$PATH", false, "a variable may extend its own old value"),
            new RuleExample("FROM debian:12\nARG VERSION=1.2\nENV VERSION=$VERSION URL=https://example.com/v$VERSION", false, "VERSION is defined before, by ARG"),
            new RuleExample("FROM debian:12\nENV A=1 B=\"$AB/x\"", false, "$AB is another variable"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);

        // As hadolint: defined before means in any earlier ARG or ENV of the file, global ARGs included.
        var defined = new HashSet<string>(subject.GlobalArguments.SelectMany(a => a.Pairs).Select(p => p.Key), StringComparer.Ordinal);
        foreach (var stage in subject.Stages)
        {
            foreach (var instruction in stage.Instructions.Where(i => i.Keyword is "ENV" or "ARG"))
            {
                if (instruction.Keyword == "ENV")
                {
                    var pairs = instruction.Pairs;
                    var used = pairs
                        .Select((pair, index) => (pair.Key, Index: index))
                        .Where(p => !defined.Contains(p.Key) && pairs.Where((_, other) => other != p.Index).Any(o => o.RawValue is { } raw && WrittenText.References(raw, p.Key)))
                        .Select(p => p.Key)
                        .Distinct(StringComparer.Ordinal)
                        .ToList();
                    if (used.Count > 0)
                    {
                        yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, $"ENV uses {string.Join(", ", used.Select(u => "$" + u))}, which this same ENV defines: the value used is the one from before the line.");
                    }
                }

                defined.UnionWith(instruction.Pairs.Select(p => p.Key));
            }
        }
    }
}
