namespace Strata.Images.Dockerfile.Checks;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>chmod (or COPY/ADD --chmod) that makes files world-writable.</summary>
public sealed class WorldWritable : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-021",
        Title = "World-writable permissions",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "`chmod 777` (or any mode that lets others write) lets every user in the container, including a compromised unprivileged process, replace programs, scripts and configuration that the application or root later runs.",
        Remediation = "Give ownership to the account that needs to write (`COPY --chown=10001:10001`, `chown`) and use 755/644 (or 700/600); for shared scratch directories use the sticky bit (1777) as /tmp does.",
        References = ["https://docs.docker.com/reference/dockerfile/#copy---chown---chmod"],
        Equivalents = [],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN chmod -R 777 /app", true),
            new RuleExample("FROM debian:12\nRUN chmod o+w /etc/app.conf", true),
            new RuleExample("FROM debian:12\nCOPY --chmod=0666 app.conf /etc/app.conf", true),
            new RuleExample("FROM debian:12\nRUN chmod 755 /app/run && chmod 1777 /scratch", false, "the sticky bit keeps shared directories safe"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var instruction in DockerfileFindings.WithTriggers(stage).Where(i => i.Keyword is "COPY" or "ADD"))
            {
                if (instruction.Flag("chmod") is { } chmod && IsWorldWritable(chmod))
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, $"{instruction.Keyword} --chmod={chmod} makes files writable by every user.");
                }
            }
        }

        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            foreach (var chmod in script.Running("chmod"))
            {
                if (chmod.Arguments.FirstOrDefault(IsWorldWritable) is { } mode)
                {
                    yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, chmod, $"chmod {mode} makes files writable by every user.");
                }
            }
        }
    }

    internal static bool IsWorldWritable(string mode)
    {
        if (mode.Length is >= 3 and <= 5 && mode.All(c => c is >= '0' and <= '7'))
        {
            var value = int.Parse(mode, NumberStyles.None, CultureInfo.InvariantCulture);
            var bits = Convert.ToInt32(value.ToString(CultureInfo.InvariantCulture), 8);
            return (bits & 0b010) != 0 && (bits & 0b1_000_000_000) == 0;
        }

        // Symbolic: o+w, a+rwx, ugo=rwx, +w for all (a) only when written as a/o.
        foreach (var clause in mode.Split(','))
        {
            var op = clause.IndexOfAny(['+', '=']);
            if (op > 0 && clause[..op].All(c => c is 'u' or 'g' or 'o' or 'a') && (clause[..op].Contains('o', StringComparison.Ordinal) || clause[..op].Contains('a', StringComparison.Ordinal)) && clause[(op + 1)..].Contains('w', StringComparison.Ordinal) && !clause[(op + 1)..].Contains('t', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
