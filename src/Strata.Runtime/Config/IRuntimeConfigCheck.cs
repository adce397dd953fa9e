namespace Strata.Runtime.Config;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>One check of an OCI runtime config.json (what runc, crun and every engine above them run).</summary>
public interface IRuntimeConfigCheck
{
    Rule Rule { get; }

    IEnumerable<Finding> Evaluate(RuntimeConfig config, string target);
}
