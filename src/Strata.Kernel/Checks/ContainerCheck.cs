namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Kernel.Containment;

/// <summary>
/// A check of the container the scan runs in (<c>strata inside</c>, and <c>strata scan host</c> run in a container):
/// it applies only where some mark says the process is in a container, and evaluates the <see cref="ContainmentView"/>.
/// </summary>
public abstract class ContainerCheck : Check<HostSnapshot>
{
    /// <summary>The /proc file a finding of this kind points at.</summary>
    protected const string MountInfo = "/proc/self/mountinfo";

    /// <summary>The example line that makes a host tree a Docker container.</summary>
    protected const string DockerMark = "/.dockerenv\n";

    public sealed override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.InContainer ? null : "Strata does not run in a container (no engine file, container cgroup, container variable or separate PID namespace)";
        return reason is null;
    }

    public sealed override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        return Evaluate(subject, subject.Containment, context);
    }

    protected abstract IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context);

    /// <summary>One finding per exposure of <paramref name="kind"/>.</summary>
    protected IEnumerable<Finding> ExposureFindings(ContainmentView view, CheckContext context, ExposureKind kind, string what) =>
        view.Exposures.Where(e => e.Kind == kind).Select(e => Finding.For(
            Rule,
            context.Target,
            new Location { File = e.Kind is ExposureKind.DeviceNode or ExposureKind.AllDevicesAllowed ? e.Path : MountInfo, Subject = e.Path },
            $"{what} {e.Path}: {e.Detail}.",
            Evidence.Plain(e.Path)));
}
