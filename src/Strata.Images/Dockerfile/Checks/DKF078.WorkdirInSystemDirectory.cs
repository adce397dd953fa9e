namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>WORKDIR inside a directory the kernel or the runtime owns (/proc, /sys, /dev, /boot …).</summary>
public sealed class WorkdirInSystemDirectory : Check<DockerfileDocument>
{
    private static readonly string[] SystemDirectories = ["/proc", "/sys", "/dev", "/boot", "/initrd", "/lost+found", "/run/secrets"];

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-078",
        Title = "WORKDIR in a kernel or system directory",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "The runtime mounts /proc, /sys and /dev over the image when the container starts (and /run/secrets with a pod's secrets), so whatever the build put there is hidden, and a process whose working directory is there writes its relative paths into kernel interfaces: under /proc/sys or /sys a file write changes kernel settings where the container may write them (a privileged container, a writable /sys), the classic first step of an escape. /boot and /lost+found belong to the host's disk layout and have no business in an image.",
        Remediation = "Use a directory of the application's own: `WORKDIR /app` (or /srv, /opt/<name>, /home/<user>).",
        References = ["https://docs.docker.com/reference/dockerfile/#workdir", "https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#default-filesystems"],
        Equivalents = ["Trivy DS-0030"],
        Examples =
        [
            new RuleExample("FROM debian:12\nWORKDIR /proc/sys/kernel", true),
            new RuleExample("FROM debian:12\nWORKDIR /dev/shm/app", true),
            new RuleExample("FROM debian:12\nWORKDIR /sys", true),
            new RuleExample("FROM debian:12\nWORKDIR /app\nWORKDIR /boot/efi", true),
            new RuleExample("FROM debian:12\nWORKDIR /app", false),
            new RuleExample("FROM debian:12\nWORKDIR /devtools", false, "a directory that only starts with the same letters"),
            new RuleExample("FROM debian:12\nWORKDIR /srv/proc", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var workdir in stage.Instructions.Where(i => i.Keyword == "WORKDIR" && !i.Unresolved && i.Words is [_]))
            {
                var path = "/" + string.Join('/', workdir.Words![0].Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
                var system = SystemDirectories.FirstOrDefault(d => path == d || path.StartsWith(d + "/", StringComparison.Ordinal));
                if (workdir.Words[0].StartsWith('/') && system is not null)
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, workdir, $"WORKDIR {workdir.Words[0]} is inside {system}, which the runtime or the host owns.");
                }
            }
        }
    }
}
