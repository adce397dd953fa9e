namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>Host disks or kernel-memory devices are reachable in the container.</summary>
public sealed class HostDevicesExposed : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-008",
        Title = "Host disks or kernel memory devices are reachable in the container",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "A host block device node (/dev/sda, /dev/nvme0n1, /dev/vda) lets the container read and write the host's disk below every file permission (debugfs, or mounting it with CAP_SYS_ADMIN); /dev/mem, /dev/kmem and /dev/port reach physical memory and I/O ports; /dev/kmsg leaks kernel addresses. A devices cgroup of 'a *:* rwm' lets the container create any of them with mknod.",
        Remediation = "Pass only the devices the workload needs (--device /dev/fuse, a device plugin in Kubernetes), never the host's disks; do not run privileged, which allows every device.",
        References = ["https://docs.docker.com/reference/cli/docker/container/run/#device", "https://www.kernel.org/doc/html/latest/admin-guide/cgroup-v1/devices.html"],
        Equivalents = ["amicontained (devices)", "deepce (host devices)"],
        Examples =
        [
            new RuleExample(DockerMark + "/sys/fs/cgroup/devices/devices.list = a *:* rwm", true, "every device allowed (privileged)"),
            new RuleExample(DockerMark + "/sys/fs/cgroup/devices/devices.list = c 1:3 rwm\\nc 1:5 rwm\\nc 1:7 rwm\\nc 1:8 rwm\\nc 1:9 rwm\\nc 5:0 rwm\\nc 5:1 rwm\\nc 5:2 rwm\\nc 136:* rwm\\nc 10:200 rwm", false, "the runtime's default device list"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context) =>
        ExposureFindings(view, context, ExposureKind.AllDevicesAllowed, "Devices cgroup").Concat(ExposureFindings(view, context, ExposureKind.DeviceNode, "Device node"));
}
