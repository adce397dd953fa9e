namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class CrioExtraDevices : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-308",
        Title = "CRI-O adds host devices to containers",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "additional_devices puts host device nodes into every container, and allowed_devices lets pods ask for devices (through annotations) beyond /dev/fuse and /dev/net/tun. A raw disk, /dev/mem, /dev/kmsg or a GPU node in a container bypasses the filesystem and kernel isolation around it.",
        Remediation = "Keep additional_devices empty and allowed_devices at [\"/dev/fuse\"]; hand devices to the workloads that need them through a device plugin.",
        References = ["https://github.com/cri-o/cri-o/blob/main/docs/crio.conf.5.md"],
        Examples =
        [
            new RuleExample("[crio.runtime]\nadditional_devices = [\"/dev/sda:/dev/sda:rwm\"]\n", true),
            new RuleExample("[crio.runtime]\nallowed_devices = [\"/dev/fuse\", \"/dev/kvm\"]\n", true),
            new RuleExample("[crio.runtime]\nallowed_devices = [\"/dev/fuse\"]\nadditional_devices = []\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var entry in subject.Strings("crio", "runtime", "additional_devices") ?? [])
        {
            var device = (string)entry.Value;
            yield return Finding.For(Rule, context.Target, subject.At(entry, device.Split(':')[0]), $"{device.Split(':')[0]} is added to every container.", Evidence.Plain(device));
        }

        foreach (var entry in subject.Strings("crio", "runtime", "allowed_devices") ?? [])
        {
            var device = (string)entry.Value;
            if (device is not ("/dev/fuse" or "/dev/net/tun"))
            {
                yield return Finding.For(Rule, context.Target, subject.At(entry, device), $"Pods may ask for {device}.", Evidence.Plain(device));
            }
        }
    }
}
