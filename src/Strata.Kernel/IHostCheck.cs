namespace Strata.Kernel;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>One check of the host kernel or of the capabilities Strata's own process runs with.</summary>
public interface IHostCheck
{
    Rule Rule { get; }

    IEnumerable<Finding> Evaluate(HostSnapshot host, string target);
}
