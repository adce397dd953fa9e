namespace Strata.Kubernetes.PodSecurity;

using System.Globalization;
using Strata.Core.Findings;
using Strata.Core.Rules;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class RestrictedVolumes : PodSecurityCheck
{
    /// <summary>The volume sources the restricted level allows.</summary>
    private static readonly string[] AllowedSources = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"];

    /// <summary>
    /// The other sources, in the order PSA names the first one a volume has. Together with the allowed ones they are every
    /// source of the API, so PSA's "unknown" type cannot occur for a volume the API server accepted.
    /// </summary>
    private static readonly string[] RestrictedSources =
    [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos",
    ];

    public RestrictedVolumes() => Versions = [new(0, Evaluate1_0) { Overrides = ["hostPathVolumes"] }];

    public override string UpstreamId => "restrictedVolumes";

    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-018",
        Title = "Restricted volume type",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "Volume types other than configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret mount node paths (hostPath) or storage the pod reaches directly with the node's credentials (nfs, iscsi, rbd, cephfs, cloud disks, gitRepo…), outside what a cluster administrator provisions. Pod Security Standards: forbidden at the restricted level in every version; it replaces the hostPath check (PSS-005) there.",
        Remediation = "Use a PersistentVolumeClaim (or CSI, ephemeral, emptyDir, configMap, secret, projected or downwardAPI volumes) instead.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
        Equivalents = ["pod-security-admission restrictedVolumes"],
        Examples =
        [
            new RuleExample("volumes:\n- name: data\n  nfs:\n    server: nfs.example.com\n    path: /exports\ncontainers:\n- name: app", true),
            new RuleExample("volumes:\n- name: data\n  persistentVolumeClaim:\n    claimName: data\ncontainers:\n- name: app", false),
        ],
    };

    private PodSecurityViolation? Evaluate1_0(PodSpecView pod)
    {
        List<string>? names = null;
        List<string>? types = null;
        var where = default(Offenders);
        var volumes = PodFields.Items(pod.Spec, "volumes");
        for (var i = 0; i < volumes.Count; i++)
        {
            var volume = volumes[i];
            if (Has(volume, AllowedSources))
            {
                continue;
            }

            string? type = null;
            foreach (var source in RestrictedSources)
            {
                if (PodFields.Get(volume, source) is not null)
                {
                    type = source;
                    break;
                }
            }

            // A volume with no source is an emptyDir: the API server defaults it so before admission sees it.
            if (type is null)
            {
                continue;
            }

            (names ??= []).Add(PodFields.Text(volume, "name") ?? string.Empty);
            (types ??= []).Add(type);
            var at = string.Create(CultureInfo.InvariantCulture, $"{pod.SpecPath}.volumes[{i}]");
            where.Mark($"{at}.{type}", PodFields.Get(volume, type));
        }

        if (names is null)
        {
            return null;
        }

        var restricted = SortedSet(types!);
        return new(this, "restricted volume types", $"{Pluralize("volume", "volumes", names.Count)} {JoinQuote(names)} {Pluralize("uses", "use", names.Count)} {Pluralize("restricted volume type", "restricted volume types", restricted.Count)} {JoinQuote(restricted)}", pod, where.Path!, where.Node);

        static bool Has(YamlDotNet.RepresentationModel.YamlNode volume, string[] sources)
        {
            foreach (var source in sources)
            {
                if (PodFields.Get(volume, source) is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
