namespace Strata.Core.Checks;

using Microsoft.Extensions.Logging;
using Strata.Core.Findings;

/// <summary>The one evaluation loop every scanner runs its checks with.</summary>
public static partial class CheckRunner
{
    /// <summary>
    /// Runs each check that applies to <paramref name="subject"/>; a check that does not is logged at Debug level with
    /// its rule, the target and the reason (<c>strata scan --debug</c>). At most <see cref="CheckContext.MaxFindingsPerRule"/>
    /// findings of each rule are listed, the rest folded into one summary finding as the checks produce them.
    /// </summary>
    public static IReadOnlyList<Finding> Run<TSubject>(IEnumerable<Check<TSubject>> checks, TSubject subject, CheckContext context, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var findings = new FindingCollector(context.MaxFindingsPerRule);
        Run(checks, subject, context, logger, findings, cancellationToken);
        return findings.ToList();
    }

    /// <summary>
    /// Runs the checks into <paramref name="findings"/>, which a scanner keeps over many subjects of one target (the pod
    /// specs of a manifest), so what it holds stays bounded however many subjects and findings there are.
    /// </summary>
    public static void Run<TSubject>(IEnumerable<Check<TSubject>> checks, TSubject subject, CheckContext context, ILogger logger, FindingCollector findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(findings);
        foreach (var check in checks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!check.AppliesTo(subject, out var reason))
            {
                LogNotApplicable(logger, check.Rule.Id, context.Target, reason);
                continue;
            }

            var produced = 0;
            foreach (var finding in check.Evaluate(subject, context))
            {
                // A check over a million containers must still notice a cancellation.
                if ((++produced & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                findings.Add(finding);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{RuleId} does not apply to {Target}: {Reason}")]
    private static partial void LogNotApplicable(ILogger logger, string ruleId, string target, string reason);
}
