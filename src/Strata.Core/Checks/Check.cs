namespace Strata.Core.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>
/// One check: a catalog rule and its evaluation over the subject a scanner reads (a parsed Dockerfile, an image view,
/// a pod spec, a runtime config, a seccomp profile, a host snapshot). Scanners run their checks through
/// <see cref="CheckRunner"/>, which asks <see cref="AppliesTo"/> first and logs why a check was not run.
/// </summary>
/// <typeparam name="TSubject">What the check reads.</typeparam>
public abstract class Check<TSubject>
{
    public abstract Rule Rule { get; }

    /// <summary>
    /// Whether the check can say anything about <paramref name="subject"/>; when not, <paramref name="reason"/> says
    /// why (e.g. "a root filesystem has no image config"), so a user can tell "clean" from "not looked at".
    /// </summary>
    public virtual bool AppliesTo(TSubject subject, [NotNullWhen(false)] out string? reason)
    {
        reason = null;
        return true;
    }

    /// <summary>The findings on a subject the check applies to.</summary>
    public abstract IEnumerable<Finding> Evaluate(TSubject subject, CheckContext context);
}
