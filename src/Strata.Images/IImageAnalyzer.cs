namespace Strata.Images;

using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Hardening;
using Strata.Oci.FileSystem;
using Strata.Oci.Resolution;

/// <summary>
/// Something more the image scanner runs in its single pass over an image or root filesystem, such as the secret
/// scanner: it sees every entry (and the content it asks for) during the walk, the config and history strings, and the
/// merged view at the end. Register it with <see cref="ImageScannerOptions.Analyzers"/>.
/// </summary>
public interface IImageAnalyzer
{
    /// <summary>Every rule this analyzer can report (they join the catalog through the image scanner).</summary>
    IEnumerable<Rule> Rules { get; }

    /// <summary>Starts analysing one target; called once per scan, before the walk.</summary>
    IImageAnalysis Begin(ImageSubject subject);
}

/// <summary>
/// One analyzer's work on one target. For an image it is an <see cref="IImageEntryVisitor"/> of the walk (layers in
/// parallel, see <see cref="ImageWalker"/>); for a root filesystem <see cref="BeginRootFs"/> is called instead and the
/// directory tree is handed over as one layer.
/// </summary>
public interface IImageAnalysis : IImageEntryVisitor
{
    /// <summary>The visitor for a root filesystem's entries (paths relative to the root, as in layers).</summary>
    ILayerEntryVisitor BeginRootFs();

    /// <summary>Called after the walk with the merged view; returns the findings.</summary>
    Task<IReadOnlyList<Finding>> CompleteAsync(ImageView view, CancellationToken cancellationToken);
}

/// <summary>What is being scanned, as analyzers see it before the walk.</summary>
/// <param name="Target">The target as the user named it; findings carry it.</param>
/// <param name="Image">The resolved image; null for a root filesystem.</param>
/// <param name="ConfigTexts">Every free-text string of the config and history, with its JSON path; empty for a root filesystem.</param>
/// <param name="RootDirectory">The directory, for a root filesystem.</param>
public sealed record ImageSubject(string Target, TargetKind Kind, ResolvedImage? Image, IReadOnlyList<ConfigText> ConfigTexts, string? RootDirectory)
{
    /// <summary>The scan's context (logger, progress, image access settings).</summary>
    public ScanContext Context { get; init; } = new();
}

/// <summary>One string of the image config or history (an environment entry, a label, a build step) and where it is.</summary>
/// <param name="JsonPath">e.g. <c>$.config.Env[2]</c>, <c>$.config.Labels['maintainer']</c>, <c>$.history[3].created_by</c>.</param>
public sealed record ConfigText(string JsonPath, string Text);
