namespace Strata.Runtime.Seccomp;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>clone or clone3 are allowed without a filter on namespace flags.</summary>
public sealed class UnfilteredClone : Check<SeccompProfile>
{
    public override Rule Rule { get; } = new()
    {
        Id = "SCP-003",
        Title = "clone/clone3 allowed without a namespace-flag filter",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "Threads need clone, but clone with CLONE_NEWUSER, CLONE_NEWNS and the other CLONE_NEW* flags creates namespaces, which on kernels that allow unprivileged user namespaces gives an attacker \"root\" over namespaced kernel code. clone3 passes its flags in memory, where seccomp cannot inspect them, so it can only be allowed or refused as a whole.",
        Remediation = "Allow clone with an argument filter that rejects the CLONE_NEW* flags (the Docker default uses SCMP_CMP_MASKED_EQ on argument 0 with mask 2114060288), and make clone3 fail with ENOSYS (SCMP_ACT_ERRNO, errnoRet 38) so the C library falls back to clone.",
        References = ["https://man7.org/linux/man-pages/man2/clone.2.html", "https://github.com/moby/moby/pull/42681"],
        Examples =
        [
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"clone\", \"clone3\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", true),
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 2114060288, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(SeccompProfile subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var rule in subject.Rules.Where(r => r.AllowsUnconditionally))
        {
            foreach (var name in rule.Names.Where(n => n is "clone" or "clone3"))
            {
                yield return Finding.For(Rule, context.Target, new Location { File = context.File, JsonPath = rule.JsonPath, Line = rule.Line, Subject = name }, $"{name} is allowed with any flags, so the workload can create namespaces.", Evidence.Plain(name));
            }
        }
    }
}
