namespace Strata.Images.Hardening.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>File content that later layers overwrote or deleted: shipped and pulled, never seen.</summary>
public sealed class WastedBytes(long threshold) : IImageCheck
{
    /// <summary>Below this, layering waste is not worth a finding.</summary>
    public const long DefaultThreshold = 1L << 20;

    private const int NamedWasters = 5;

    public WastedBytes()
        : this(DefaultThreshold)
    {
    }

    public Rule Rule { get; } = new()
    {
        Id = "IMG-018",
        Title = "Bytes wasted across layers",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Layers only add: a file deleted or overwritten in a later layer still sits in the earlier one, so every pull downloads and stores it although no container can see it. Typical causes are caches removed in a separate RUN step, build artefacts deleted after the build, and chmod/chown of large files in a later step (which copies them). Deleted secrets are also still there. Reported when the total passes a threshold (1 MiB by default); the largest wasters are named with the layer that holds them.",
        Remediation = "Create and remove temporary files in the same RUN step, chmod/chown with COPY --chmod/--chown, and use a multi-stage build so only the final artefacts are copied into the last stage.",
        References = ["https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers", "https://github.com/wagoodman/dive"],
        Equivalents = ["dive (wasted space, image efficiency)"],
    };

    public IEnumerable<Finding> Evaluate(ImageView image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var total = image.WastedBytes;
        if (image.Wasted.Count == 0 || total < threshold)
        {
            yield break;
        }

        var top = image.Wasted[0];
        var named = string.Join("; ", image.Wasted.Take(NamedWasters).Select(w =>
            FormattableString.Invariant($"{w.Path} ({ByteSize.Format(w.Bytes)} in layer {w.LayerIndex}, {(w.Deleted ? "deleted" : "overwritten")} in layer {w.HiddenInLayer})")));
        var message = FormattableString.Invariant($"{ByteSize.Format(total)} of file content in {image.Wasted.Count} files is shipped but hidden by later layers; largest: {named}.");
        yield return Finding.For(Rule, image.Target, ImageView.LocationOf(top), message, Evidence.Plain(FormattableString.Invariant($"{total} bytes wasted")));
    }
}
