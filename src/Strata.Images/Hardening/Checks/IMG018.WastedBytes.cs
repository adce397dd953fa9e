namespace Strata.Images.Hardening.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>File content that later layers overwrote or deleted: shipped and pulled, never seen.</summary>
public sealed class WastedBytes(long threshold) : Check<ImageView>
{
    /// <summary>Below this, layering waste is not worth a finding.</summary>
    public const long DefaultThreshold = 1L << 20;

    private const int NamedWasters = 5;

    public WastedBytes()
        : this(DefaultThreshold)
    {
    }

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-018",
        Title = "Bytes wasted across layers",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Layers only add: a file deleted or overwritten in a later layer still sits in the earlier one, so every pull downloads and stores it although no container can see it. Typical causes are caches removed in a separate RUN step, build artefacts deleted after the build, and chmod/chown of large files in a later step (which copies them). Deleted secrets are also still there. Reported when the total passes a threshold (1 MiB by default); the largest wasters are named with the layer that holds them.",
        Remediation = "Create and remove temporary files in the same RUN step, chmod/chown with COPY --chmod/--chown, and use a multi-stage build so only the final artefacts are copied into the last stage.",
        References = ["https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers", "https://github.com/wagoodman/dive"],
        Equivalents = ["dive (wasted space, image efficiency)"],
        Examples =
        [
            new RuleExample("# layer 0: RUN curl -fsSLo /tmp/sdk.tar.gz https://example.com/sdk.tar.gz\n-rw-r--r-- 0 0 3145728 /tmp/sdk.tar.gz\n# layer 1: RUN rm /tmp/sdk.tar.gz\nrm /tmp/sdk.tar.gz", true, "3 MiB removed in a later step, still pulled"),
            new RuleExample("# layer 0: COPY app.jar /app/app.jar\n-rw-r--r-- 0 0 2097152 /app/app.jar\n# layer 1: RUN chmod 755 /app/app.jar\n-rwxr-xr-x 0 0 2097152 /app/app.jar", true, "chmod in a later step copies the file"),
            new RuleExample("# layer 0: RUN curl -fsSLo /tmp/sdk.tar.gz https://example.com/sdk.tar.gz && tar -xzf /tmp/sdk.tar.gz -C /opt && rm /tmp/sdk.tar.gz\n-rwxr-xr-x 0 0 3145728 /opt/sdk/bin/sdk", false, "downloaded and removed in the same step"),
        ],
    };

    public override bool AppliesTo(ImageView subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.IsRootFs ? "a root filesystem has no layers to hide content in" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var total = subject.WastedBytes;
        if (subject.Wasted.Count == 0 || total < threshold)
        {
            yield break;
        }

        var top = subject.Wasted[0];
        var named = string.Join("; ", subject.Wasted.Take(NamedWasters).Select(w =>
            FormattableString.Invariant($"{w.Path} ({ByteSize.Format(w.Bytes)} in layer {w.LayerIndex}, {(w.Deleted ? "deleted" : "overwritten")} in layer {w.HiddenInLayer})")));
        var message = FormattableString.Invariant($"{ByteSize.Format(total)} of file content in {subject.Wasted.Count} files is shipped but hidden by later layers; largest: {named}.");
        yield return Finding.For(Rule, context.Target, ImageView.LocationOf(top), message, Evidence.Plain(FormattableString.Invariant($"{total} bytes wasted")));
    }
}
