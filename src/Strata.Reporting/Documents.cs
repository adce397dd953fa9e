namespace Strata.Reporting;

using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Oci;
using Strata.Oci.Extraction;
using Strata.Oci.Resolution;

/// <summary><c>strata scan</c>: the report and the catalog of the run (SARIF lists every rule with its help).</summary>
public sealed record ScanDocument
{
    // Only SARIF reads the catalog: building it reads the secret rules, which a scan of a seccomp profile never needs.
    private readonly Lazy<RuleCatalog> catalog;

    public ScanDocument(ScanReport report, RuleCatalog catalog)
        : this(report, new Lazy<RuleCatalog>(catalog))
    {
    }

    /// <param name="catalog">The catalog, built when a writer first asks for it.</param>
    public ScanDocument(ScanReport report, Lazy<RuleCatalog> catalog)
    {
        Report = report;
        this.catalog = catalog;
    }

    public ScanReport Report { get; }

    public RuleCatalog Catalog => catalog.Value;
}

/// <summary><c>strata image inspect</c>.</summary>
public sealed record ImageInspectDocument(ResolvedImage Image, ImageSummary Summary);

/// <summary><c>strata image files</c>: the listing and what was asked for.</summary>
/// <param name="ImageLayer"><c>--image-layer N</c>: only paths that image layer touched.</param>
/// <param name="DeletedOnly"><c>--deleted</c>: only paths an image layer deleted.</param>
public sealed record ImageFilesDocument(ResolvedImage Image, int? ImageLayer, bool DeletedOnly, IReadOnlyList<FileListing> Files);

/// <summary><c>strata image extract</c>: what was written where.</summary>
/// <param name="Directory">The directory as the user named it.</param>
/// <param name="FullDirectory">Its absolute path.</param>
public sealed record ImageExtractDocument(ResolvedImage Image, string Directory, string FullDirectory, ExtractionReport Extraction);

/// <summary><c>strata rules list</c>: the rules shown, and the layer they were filtered by.</summary>
public sealed record RuleListDocument(IReadOnlyList<Rule> Rules, StackLayer? Layer);

/// <summary><c>strata rules explain</c>: one rule.</summary>
public sealed record RuleDocument(Rule Rule);
