namespace Strata.Runtime.Config;

using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class NoSeccomp : IRuntimeConfigCheck
{
    public Rule Rule { get; } = new()
    {
        Id = "RUN-003",
        Title = "No seccomp profile",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "linux.seccomp is absent, so the container can call every syscall of the host kernel, including the rarely used, poorly audited ones behind most kernel exploits (keyctl, bpf, userfaultfd, unshare).",
        Remediation = "Add a seccomp allowlist under linux.seccomp: the runtime's default profile at least, better a minimal profile generated for the application.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#seccomp"],
    };

    public IEnumerable<Finding> Evaluate(RuntimeConfig config, string target)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Get("linux.seccomp") is null)
        {
            yield return Finding.For(Rule, target, config.At("linux.seccomp"), "linux.seccomp is not set: every syscall is allowed.");
        }
    }
}
