namespace Strata.Runtime.Seccomp;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>One check of a seccomp profile.</summary>
public interface ISeccompCheck
{
    Rule Rule { get; }

    IEnumerable<Finding> Evaluate(SeccompProfile profile, string file, string target);
}
