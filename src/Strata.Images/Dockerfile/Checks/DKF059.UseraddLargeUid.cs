namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>useradd with a large (or unknown) UID and without -l/--no-log-init: lastlog and faillog become huge sparse files.</summary>
public sealed class UseraddLargeUid : Check<DockerfileDocument>
{
    /// <summary>useradd's short options that take a value.</summary>
    private const string ValueOptions = "bcdefgGkKpRPsuZ";

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-059",
        Title = "useradd with a large UID without --no-log-init",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "useradd records each account in /var/log/lastlog and /var/log/faillog at an offset proportional to its UID. On the host these are sparse files, but image layers store them in full: a UID such as 1000000 makes a layer hundreds of megabytes or gigabytes larger, and the build slow.",
        Remediation = "Add `--no-log-init` (`-l`): `RUN useradd --no-log-init --uid 1000000 app`. Reported when the UID has more than five digits or comes from a variable whose value is not known here.",
        References = ["https://docs.docker.com/build/building/best-practices/#user", "https://github.com/moby/moby/issues/5419"],
        Equivalents = ["Hadolint DL3046"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN useradd -u 1000000 app", true),
            new RuleExample("FROM debian:12\nRUN groupadd -g 2000000 app && useradd --uid=2000000 -g app app", true),
            new RuleExample("FROM debian:12\nARG APP_UID\nRUN useradd -m -u \"${APP_UID}\" app", true, "the UID is not known until build time"),
            new RuleExample("FROM debian:12\nRUN useradd -l -u 1000000 app", false),
            new RuleExample("FROM debian:12\nRUN useradd --no-log-init --uid 1000000 --create-home app", false),
            new RuleExample("FROM debian:12\nRUN useradd -u 10001 app", false, "five digits are small enough"),
            new RuleExample("FROM debian:12\nRUN useradd -r app", false, "no UID given"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            foreach (var useradd in script.Running("useradd"))
            {
                if (CommandFlags.Has(useradd, "l", "no-log-init"))
                {
                    continue;
                }

                var uid = CommandFlags.Values(useradd, 'u', "uid", ValueOptions).FirstOrDefault(v => v.Contains('$', StringComparison.Ordinal) || (v.Length > 5 && v.All(char.IsAsciiDigit)));
                if (uid is not null)
                {
                    var what = uid.Contains('$', StringComparison.Ordinal) ? $"a UID from {uid}, which may be large," : $"the large UID {uid}";
                    yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, useradd, $"useradd creates an account with {what} without --no-log-init: lastlog and faillog grow with the UID and are stored in full in the layer.");
                }
            }
        }
    }
}
