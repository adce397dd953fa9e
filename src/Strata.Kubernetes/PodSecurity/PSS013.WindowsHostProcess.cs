namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class WindowsHostProcess : PodSecurityCheck
{
    public WindowsHostProcess() => Versions = [new(0, Evaluate1_0)];

    public override string UpstreamId => "windowsHostProcess";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-013",
        Title = "Windows HostProcess container",
        Severity = Severity.Critical,
        Layer = StackLayer.Orchestrator,
        Explanation = "A Windows HostProcess container runs directly on the node, in the host's network and process namespaces, with access to the node's file system: it is the Windows equivalent of a privileged container. Pod Security Standards: forbidden from the baseline level up, in every version.",
        Remediation = "Remove securityContext.windowsOptions.hostProcess (or set it to false) on the pod and its containers.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline", "https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/"],
        Equivalents = ["pod-security-admission windowsHostProcess"],
        Examples =
        [
            new RuleExample("os:\n  name: windows\nsecurityContext:\n  windowsOptions:\n    hostProcess: true\nhostNetwork: true\ncontainers:\n- name: app", true),
            new RuleExample("os:\n  name: windows\ncontainers:\n- name: app", false),
        ],
    };

    private PodSecurityViolation? Evaluate1_0(PodSpecView pod)
    {
        var bad = default(Offenders);
        foreach (var container in PodFields.Containers(pod))
        {
            var options = PodFields.Get(container.SecurityContext, "windowsOptions");
            if (PodFields.Bool(options, "hostProcess") == true)
            {
                bad.Add(pod, container, ".securityContext.windowsOptions.hostProcess", PodFields.Get(options, "hostProcess"));
            }
        }

        var podOptions = PodFields.Get(PodFields.Get(pod.Spec, "securityContext"), "windowsOptions");
        var podBad = PodFields.Bool(podOptions, "hostProcess") == true;
        if (!podBad && !bad.Any)
        {
            return null;
        }

        var setters = new List<string>(2);
        var where = default(Offenders);
        if (podBad)
        {
            setters.Add("pod");
            where.Mark(pod.SpecPath + ".securityContext.windowsOptions.hostProcess", PodFields.Get(podOptions, "hostProcess"));
        }

        if (bad.Any)
        {
            setters.Add($"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad.Names!)}");
            where.Mark(bad.Path!, bad.Node);
        }

        return new(this, "hostProcess", $"{string.Join(" and ", setters)} must not set securityContext.windowsOptions.hostProcess=true", pod, where.Path!, where.Node);
    }
}
