namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class RuncCgroupfsDriver : CriPluginCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-206",
        Title = "containerd's default runc runtime does not use the systemd cgroup driver",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "The default runtime (default_runtime_name, runc unless set) has SystemdCgroup not true: containers' cgroups are managed beside systemd's instead of by it. Kubernetes recommends the systemd driver on systemd hosts (and the kubelet's cgroupDriver must match); two managers of one hierarchy can lose the limits that bound a container's memory, CPU and pids under pressure.",
        Remediation = "Under the default runtime's options set SystemdCgroup = true (…runtimes.runc.options), and cgroupDriver: systemd in the kubelet configuration.",
        References = ["https://kubernetes.io/docs/setup/production-environment/container-runtimes/#containerd-systemd", "https://github.com/containerd/containerd/blob/main/docs/cri/config.md"],
        Examples =
        [
            new RuleExample("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n  runtime_type = \"io.containerd.runc.v2\"\n  [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n    SystemdCgroup = false\n", true),
            new RuleExample("version = 3\n[plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.runc.options]\n  SystemdCgroup = true\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        var runtime = subject.Text(Setting(subject, "containerd", "default_runtime_name")) ?? "runc";
        var runtimeType = subject.Text(Setting(subject, "containerd", "runtimes", runtime, "runtime_type")) ?? "io.containerd.runc.v2";
        if (!runtimeType.StartsWith("io.containerd.runc.", StringComparison.Ordinal))
        {
            yield break;
        }

        var keys = Setting(subject, "containerd", "runtimes", runtime, "options", "SystemdCgroup");
        if (subject.Bool(keys) != true)
        {
            yield return Report(subject, context, keys, $"The default runtime {runtime} does not set SystemdCgroup = true.");
        }
    }
}
