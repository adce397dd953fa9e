namespace Strata.Kubernetes.PodSecurity;

using System.Globalization;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class Sysctls : PodSecurityCheck
{
    private static readonly HashSet<string> Allowed1_0 = new(StringComparer.Ordinal)
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
    };

    private static readonly HashSet<string> Allowed1_27 = new(Allowed1_0, StringComparer.Ordinal) { "net.ipv4.ip_local_reserved_ports" };

    private static readonly HashSet<string> Allowed1_29 = new(Allowed1_27, StringComparer.Ordinal)
    {
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    };

    private static readonly HashSet<string> Allowed1_32 = new(Allowed1_29, StringComparer.Ordinal) { "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem" };

    private static readonly HashSet<string> Allowed1_37 = new(Allowed1_32, StringComparer.Ordinal) { "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat" };

    public Sysctls() => Versions =
    [
        new(0, pod => Evaluate(pod, Allowed1_0)),
        new(27, pod => Evaluate(pod, Allowed1_27)),
        new(29, pod => Evaluate(pod, Allowed1_29)),
        new(32, pod => Evaluate(pod, Allowed1_32)),
        new(37, pod => Evaluate(pod, Allowed1_37)),
    ];

    public override string UpstreamId => "sysctls";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-011",
        Title = "Unsafe sysctl",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "A sysctl outside the namespaced, isolated set can change kernel behaviour for the whole node or disable protections. Pod Security Standards: from the baseline level up only the safe set is allowed: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start; from v1.27 net.ipv4.ip_local_reserved_ports; from v1.29 net.ipv4.tcp_keepalive_time, tcp_fin_timeout, tcp_keepalive_intvl, tcp_keepalive_probes; from v1.32 net.ipv4.tcp_rmem, tcp_wmem; from v1.37 net.ipv4.tcp_slow_start_after_idle, tcp_notsent_lowat.",
        Remediation = "Remove the sysctl from spec.securityContext.sysctls, or set it on the node if it is really needed.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline", "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/"],
        Equivalents = ["pod-security-admission sysctls"],
        Examples =
        [
            new RuleExample("securityContext:\n  sysctls:\n  - name: kernel.msgmax\n    value: \"65536\"\ncontainers:\n- name: app", true),
            new RuleExample("securityContext:\n  sysctls:\n  - name: net.ipv4.tcp_syncookies\n    value: \"1\"\ncontainers:\n- name: app", false),
        ],
    };

    private PodSecurityViolation? Evaluate(PodSpecView pod, HashSet<string> allowed)
    {
        List<string>? forbidden = null;
        var where = default(Offenders);
        var items = PodFields.Items(PodFields.Get(pod.Spec, "securityContext"), "sysctls");
        for (var i = 0; i < items.Count; i++)
        {
            var name = PodFields.Text(items[i], "name") ?? string.Empty;
            if (!allowed.Contains(name))
            {
                (forbidden ??= []).Add(name);
                where.Mark(string.Create(CultureInfo.InvariantCulture, $"{pod.SpecPath}.securityContext.sysctls[{i}].name"), PodFields.Get(items[i], "name") ?? items[i]);
            }
        }

        return forbidden is null ? null : new(this, "forbidden sysctls", PsaText.Join(forbidden), pod, where.Path!, where.Node);
    }
}
