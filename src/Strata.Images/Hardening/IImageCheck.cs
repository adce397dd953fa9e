namespace Strata.Images.Hardening;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>One hardening check of an image or root filesystem.</summary>
public interface IImageCheck
{
    Rule Rule { get; }

    /// <summary>The findings on this image; none when the check does not apply (e.g. config checks on a root filesystem).</summary>
    IEnumerable<Finding> Evaluate(ImageView image);
}
