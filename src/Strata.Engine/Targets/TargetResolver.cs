namespace Strata.Engine.Targets;

using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Targets;
using Strata.Oci.Transports;

/// <summary>
/// Turns what the user typed into a <see cref="ScanTarget"/>: image transport prefixes (from
/// <see cref="ImageTransports"/>), kind prefixes (<c>dockerfile:</c>, <c>k8s:</c>, …), the word <c>host</c>,
/// directories (image layouts, root filesystems, source trees), files recognised by name and content, and bare
/// image references.
/// </summary>
public static partial class TargetResolver
{
    /// <summary>The kinds that may prefix a target, for messages: <c>image:, rootfs:, dockerfile:, …</c>.</summary>
    public static string KindPrefixes { get; } = string.Join(", ", TargetKindNames.All.Where(k => k != TargetKind.Host.ToName()).Select(k => k + ":"));

    private static readonly string[] FileLikeExtensions = [".yaml", ".yml", ".json", ".tar", ".tgz", ".gz", ".dockerfile", ".containerfile"];

    /// <summary>
    /// Resolves one target; a problem with it (missing, unreadable, not an image reference) is a
    /// <see cref="StrataException"/> naming it. <paramref name="forcedKind"/> overrides detection; a JSON file read to
    /// tell its kind is bounded by <paramref name="limits"/>.
    /// </summary>
    public static ScanTarget Resolve(string text, TargetKind? forcedKind = null, Limits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw StrataException.Usage("An empty scan target was given.");
        }

        if (string.Equals(text, "host", StringComparison.Ordinal))
        {
            return new ScanTarget(TargetKind.Host, "host", "/");
        }

        if (string.Equals(text, "-", StringComparison.Ordinal) && forcedKind is null)
        {
            // What a pipe holds cannot be sniffed without consuming it: its kind is named.
            throw StrataException.Usage("-: standard input is scanned with its kind named: k8s:- (helm template … | strata scan k8s:-), dockerfile:-, seccomp:-, or --kind KIND -.");
        }

        // Before the text is used as a target's name anywhere: it would carry the password into every message.
        if (MayBeRegistryReference(text) && ReferenceCredentials.TryFind(text, out var redacted) && !File.Exists(text) && !Directory.Exists(text))
        {
            throw ReferenceCredentials.Refused(redacted);
        }

        if (ImageTransports.ByPrefix(text) is not null)
        {
            return new ScanTarget(TargetKind.Image, text, text);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && TargetKindNames.TryParse(text[..colon], out var prefixed))
        {
            return ResolveAs(prefixed, text[(colon + 1)..], text);
        }

        if (forcedKind is TargetKind forced)
        {
            return ResolveAs(forced, text, text);
        }

        if (Directory.Exists(text))
        {
            return ImageTransports.Recognise(text) is { } layout ? new ScanTarget(TargetKind.Image, text, layout.Prefix + text)
                : SourceTree.LooksLikeRootFs(text) ? new ScanTarget(TargetKind.RootFs, text, text)
                : new ScanTarget(TargetKind.SourceTree, text, text);
        }

        if (File.Exists(text))
        {
            return ImageTransports.Recognise(text) is { } archive
                ? new ScanTarget(TargetKind.Image, text, archive.Prefix + text)
                : FileTarget(text, text, limits);
        }

        if (UnknownPrefixPattern().Match(text) is { Success: true } unknown && (unknown.Groups[2].Value == "://" || LooksLikePath(text) || !ImageTransports.IsBareReference(text)))
        {
            var prefix = unknown.Groups[1].Value + unknown.Groups[2].Value;
            var known = ImageTransports.All.Select(t => t.Prefix).Concat(KindPrefixes.Split(", ")).ToList();
            var suggestion = NearestName.Find(prefix, known) is { } near ? $"did you mean {near}? " : string.Empty;
            throw StrataException.Usage($"{Redaction.Quote(text, 200)}: no such file or directory, and '{Redaction.Quote(prefix)}' is neither an image transport nor a target kind; {suggestion}transports: {ImageTransports.Syntaxes}; kinds: {KindPrefixes}.");
        }

        if (LooksLikePath(text) || !ImageTransports.IsBareReference(text))
        {
            throw StrataException.Usage($"{Redaction.Quote(text, 200)}: no such file or directory, and not an image reference.");
        }

        return new ScanTarget(TargetKind.Image, text, ImageTransports.Docker.Prefix + text);
    }

    /// <summary>Resolves each target on its own: one that cannot be resolved becomes a target that fails alone.</summary>
    public static IReadOnlyList<ScanTarget> ResolveEach(IEnumerable<string> texts, TargetKind? forcedKind = null, Limits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var targets = new List<ScanTarget>();
        foreach (var text in texts)
        {
            try
            {
                targets.Add(Resolve(text, forcedKind, limits));
            }
            catch (StrataException e)
            {
                // Named as its error names it: what could not be resolved may be anything pasted, a token included.
                targets.Add(ScanTarget.Unresolved(Redaction.Quote(text, 200), e.Message));
            }
        }

        return targets;
    }

    /// <summary>A file given on its own: its kind by name and content; one of no known kind gets the secret rules and a note.</summary>
    public static ScanTarget FileTarget(string path, string name, Limits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fileClass = FileKinds.Classify(path, sniffAnyName: true, limits);
        if (fileClass.Kind != TargetKind.File)
        {
            return new ScanTarget(fileClass.Kind, name, path);
        }

        var note = fileClass.What is { } what
            ? $"{what}{(fileClass.Hint is { } hint ? "; " + hint : string.Empty)}; only the secret rules ran."
            : $"cannot tell what kind of target this is; only the secret rules ran; {FileKinds.NameItsKind}.";
        return new ScanTarget(TargetKind.File, name, path) { Note = note };
    }

    private static ScanTarget ResolveAs(TargetKind kind, string path, string name) => kind switch
    {
        // KIND:- reads standard input (a pipe: helm template … | strata scan k8s:-).
        _ when path == "-" && kind.IsFileKind() => new ScanTarget(kind, name, BoundedFile.StandardInput),
        TargetKind.Host => throw StrataException.Usage($"'{Redaction.Quote(name, 200)}': the host target takes no path."),
        TargetKind.Image => new ScanTarget(TargetKind.Image, name, ImageTransports.Locate(path)),
        TargetKind.RootFs or TargetKind.SourceTree => Directory.Exists(path)
            ? new ScanTarget(kind, name, path)
            : throw StrataException.Usage($"{Redaction.Quote(path, 200)}: no such directory (given as a {kind.ToName()} target)."),
        TargetKind.File => File.Exists(path)
            ? new ScanTarget(kind, name, path)
            : throw StrataException.Usage($"{Redaction.Quote(path, 200)}: no such file (given as a {kind.ToName()} target)."),

        // A directory given as a file kind (k8s:manifests/) stands for every file of that kind under it.
        _ => File.Exists(path) || Directory.Exists(path)
            ? new ScanTarget(kind, name, path)
            : throw StrataException.Usage($"{Redaction.Quote(path, 200)}: no such file or directory (given as a {kind.ToName()} target)."),
    };

    /// <summary>docker://REF, image:REF or a bare text: not another transport's or kind's path.</summary>
    private static bool MayBeRegistryReference(string text)
    {
        var rest = text.StartsWith("image:", StringComparison.Ordinal) ? text["image:".Length..] : text;
        if (rest.StartsWith(ImageTransports.Docker.Prefix, StringComparison.Ordinal))
        {
            return true;
        }

        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return ImageTransports.ByPrefix(rest) is null && !(colon > 0 && TargetKindNames.TryParse(rest[..colon], out _));
    }

    private static bool LooksLikePath(string text) =>
        text.StartsWith('/') || text.StartsWith("./", StringComparison.Ordinal) || text.StartsWith("../", StringComparison.Ordinal)
        || text.StartsWith('~') || FileLikeExtensions.Any(e => text.EndsWith(e, StringComparison.OrdinalIgnoreCase))
        || FileKinds.IsDockerfileName(Path.GetFileName(text));

    // A word before ':' or '://' that could have been meant as a transport or a kind, e.g. "ocii:" or "dockr://".
    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.-]*)(://|:)", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownPrefixPattern();
}
