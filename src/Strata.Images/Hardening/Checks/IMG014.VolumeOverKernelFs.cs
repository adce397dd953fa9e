namespace Strata.Images.Hardening.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci.Layers;

/// <summary>VOLUME over /proc, /sys or /dev (or below them).</summary>
public sealed class VolumeOverKernelFs : IImageCheck
{
    private static readonly string[] KernelDirectories = ["proc", "sys", "dev"];

    public Rule Rule { get; } = new()
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

    public IEnumerable<Finding> Evaluate(ImageView image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Config is not { } config)
        {
            yield break;
        }

        foreach (var volume in config.Volumes)
        {
            var key = ImageView.KeyOf(volume);
            var over = KernelDirectories.FirstOrDefault(d => EntryPaths.IsWithin(key, d));
            if (over is not null)
            {
                yield return Finding.For(Rule, image.Target, new Location { JsonPath = $"$.config.Volumes['{volume}']" }, $"The image declares VOLUME {volume}, over the runtime's /{over}.", Evidence.Plain("VOLUME " + volume));
            }
        }
    }
}
