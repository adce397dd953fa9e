namespace Strata.Images.Hardening;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Oci.Model;

/// <summary>A check of the image config (user, health check, ports, volumes), which root filesystems do not have.</summary>
public abstract class ImageConfigCheck : Check<ImageView>
{
    public sealed override bool AppliesTo(ImageView subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.Config is null ? "a root filesystem has no image config" : null;
        return reason is null;
    }

    public sealed override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        return subject.Config is { } config ? Evaluate(subject, config, context) : [];
    }

    /// <summary>The findings on an image with its config.</summary>
    protected abstract IEnumerable<Finding> Evaluate(ImageView image, ImageConfig config, CheckContext context);
}
