namespace Strata.Runtime.Seccomp;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>An allowlist answers clone3 with something other than ENOSYS, so the C library cannot fall back to clone.</summary>
public sealed class Clone3NotEnosys : Check<SeccompProfile>
{
    /// <summary>ENOSYS on every Linux architecture.</summary>
    public const uint Enosys = 38;

    public override Rule Rule { get; } = new()
    {
        Id = "SCP-006",
        Title = "clone3 not answered with ENOSYS",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "glibc 2.34 and later create every thread and process with clone3 and fall back to clone only when clone3 fails with ENOSYS. seccomp cannot inspect clone3's flags (they are in memory), so a profile must refuse it as a whole; refused with EPERM (the usual default action) or killed, every pthread_create and fork in the container fails instead of falling back. Docker, Podman and containerd answer clone3 with ENOSYS (errnoRet 38) for that reason.",
        Remediation = "Add a rule {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38} (moby's default conditions it on lacking CAP_SYS_ADMIN), and allow clone with a filter on the CLONE_NEW* flags.",
        References = ["https://github.com/moby/moby/pull/42681", "https://man7.org/linux/man-pages/man2/clone3.2.html"],
        Examples =
        [
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, \"syscalls\": [{\"names\": [\"read\", \"write\", \"clone\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", true, "clone3 gets EPERM from the default action"),
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_KILL\"}]}", true),
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}]}", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(SeccompProfile subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (SeccompProfile.IsPermissive(subject.DefaultAction))
        {
            yield break;
        }

        // The rules that apply to a container without extra capabilities; allowing clone3 outright is SCP-003's finding.
        var rules = subject.Rules.Where(r => r.Names.Contains("clone3", StringComparer.Ordinal) && r.IncludeCaps.Count == 0).ToList();
        if (rules.Any(r => SeccompProfile.IsPermissive(r.Action) || (r.Action == "SCMP_ACT_ERRNO" && r.ErrnoRet == Enosys)))
        {
            yield break;
        }

        if (rules.Count > 0)
        {
            var rule = rules[0];
            yield return Finding.For(Rule, context.Target, new Location { File = context.File, JsonPath = rule.JsonPath, Line = rule.Line, Subject = "clone3" }, $"clone3 is answered with {SeccompDiff.Describe(rule)}, not ENOSYS: thread creation fails instead of falling back to clone.", Evidence.Plain(SeccompDiff.Describe(rule)));
        }
        else if (!(subject.DefaultAction == "SCMP_ACT_ERRNO" && subject.DefaultErrnoRet == Enosys))
        {
            yield return Finding.For(Rule, context.Target, new Location { File = context.File, JsonPath = subject.BasePath + ".defaultAction", Line = subject.DefaultActionLine, Subject = "clone3" }, $"clone3 gets the default action ({subject.DefaultAction}{(subject.DefaultErrnoRet is uint e ? $", errno {e}" : string.Empty)}), not ENOSYS: thread creation fails instead of falling back to clone.", Evidence.Plain("clone3 not named"));
        }
    }
}
