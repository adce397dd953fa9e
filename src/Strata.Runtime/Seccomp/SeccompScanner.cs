namespace Strata.Runtime.Seccomp;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;

/// <summary>Scans a seccomp profile file: moby or OCI JSON, or a security-profiles-operator object.</summary>
public sealed class SeccompScanner : ITargetScanner
{
    /// <summary>Every seccomp check, in rule order; the runtime config scanner runs them on embedded profiles too.</summary>
    public IReadOnlyList<Check<SeccompProfile>> Checks { get; } = [new DefaultAllow(), new DangerousSyscallsAllowed(), new UnfilteredClone(), new UnknownSyscallName(), new NoArchitectures(), new Clone3NotEnosys()];

    public string Name => "seccomp";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.SeccompProfile };

    public IEnumerable<Rule> Rules => Checks.Select(c => c.Rule);

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var profile = SeccompProfileReader.Load(target.Locator, context.Limits);
        return Task.FromResult(CheckRunner.Run(Checks, profile, context.ChecksOf(target.Name), context.Logger, cancellationToken));
    }
}
