namespace Strata.Images.Dockerfile;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>One lint check of a Dockerfile/Containerfile.</summary>
public interface IDockerfileCheck
{
    Rule Rule { get; }

    IEnumerable<Finding> Evaluate(DockerfileDocument dockerfile, string target);
}
