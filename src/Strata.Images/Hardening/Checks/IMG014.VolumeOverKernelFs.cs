namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci.Model;
using Strata.Oci.Layers;

/// <summary>VOLUME over /proc, /sys or /dev (or below them).</summary>
public sealed class VolumeOverKernelFs : ImageConfigCheck
{
    private static readonly string[] KernelDirectories = ["proc", "sys", "dev"];

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-014",
        Title = "VOLUME over /proc, /sys or /dev",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "The runtime mounts its own, restricted /proc, /sys and /dev in every container. A VOLUME there asks the runtime to mount a volume over them: depending on the runtime it fails, hides the masked paths (so /proc/kcore, /proc/sysrq-trigger become reachable), or invites users to bind the host's /proc or /dev into it.",
        Remediation = "Remove the VOLUME; keep application data in a directory of its own (VOLUME /var/lib/app).",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#masked-paths", "https://docs.docker.com/reference/dockerfile/#volume"],
        Examples =
        [
            new RuleExample("{\"Volumes\":{\"/proc\":{}}}", true),
            new RuleExample("{\"Volumes\":{\"/dev/shm\":{}}}", true, "below /dev"),
            new RuleExample("{\"Volumes\":{\"/devices\":{}}}", false),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(ImageView image, ImageConfig config, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var volume in config.Volumes)
        {
            var key = ImageView.KeyOf(volume);
            var over = KernelDirectories.FirstOrDefault(d => EntryPaths.IsWithin(key, d));
            if (over is not null)
            {
                yield return Finding.For(Rule, context.Target, new Location { JsonPath = $"$.config.Volumes['{volume}']" }, $"The image declares VOLUME {volume}, over the runtime's /{over}.", Evidence.Plain("VOLUME " + volume));
            }
        }
    }
}
