namespace Strata.Images.Dockerfile.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Images.Dockerfile.Context;

/// <summary>A check over the files of the build context: it applies only when a context was given.</summary>
public abstract class ContextCheck : Check<DockerfileBuild>
{
    public sealed override bool AppliesTo(DockerfileBuild subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.Context is null ? "no build context was given (strata scan Dockerfile --context DIR)" : null;
        return reason is null;
    }
}
