namespace Strata.Core.Checks;

using Microsoft.Extensions.Logging;
using Strata.Core.Findings;

/// <summary>The one evaluation loop every scanner runs its checks with.</summary>
public static partial class CheckRunner
{
    /// <summary>
    /// Runs each check that applies to <paramref name="subject"/>; a check that does not is logged at Debug level with
    /// its rule, the target and the reason (<c>strata scan --debug</c>).
    /// </summary>
    public static IReadOnlyList<Finding> Run<TSubject>(IEnumerable<Check<TSubject>> checks, TSubject subject, CheckContext context, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logger);
        var findings = new List<Finding>();
        foreach (var check in checks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!check.AppliesTo(subject, out var reason))
            {
                LogNotApplicable(logger, check.Rule.Id, context.Target, reason);
                continue;
            }

            findings.AddRange(check.Evaluate(subject, context));
        }

        return findings;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{RuleId} does not apply to {Target}: {Reason}")]
    private static partial void LogNotApplicable(ILogger logger, string ruleId, string target, string reason);
}
