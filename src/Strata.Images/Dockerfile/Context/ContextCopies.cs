namespace Strata.Images.Dockerfile.Context;

/// <summary>What a COPY or ADD puts at one path of the image.</summary>
public enum CopiedKind
{
    File,
    Directory,
    SymbolicLink,

    /// <summary>Without the build context: a source named in the Dockerfile that may be a file or a directory.</summary>
    Unknown,
}

/// <summary>One path a COPY or ADD creates in the image.</summary>
/// <param name="ImagePath">Absolute, clean.</param>
public sealed record CopiedPath(string ImagePath, CopiedKind Kind)
{
    /// <summary>Where it comes from, relative to the context root; null for a directory the copy creates on its own (the destination and its parents).</summary>
    public string? ContextPath { get; init; }

    /// <summary>Bytes, for a file.</summary>
    public long Size { get; init; }

    /// <summary>True when a source names it (a file source, a wildcard match); false when it comes along with a directory that is copied.</summary>
    public bool NamedBySource { get; init; }

    /// <summary>
    /// Where it lands instead when the destination, written without a trailing slash, is a directory the base image
    /// already has (<c>COPY app.jar /opt</c> into an image with <c>/opt</c>): unknown without the base image.
    /// </summary>
    public string? AlternativeImagePath { get; init; }
}

/// <summary>What one COPY or ADD of a stage takes from the build context.</summary>
/// <param name="Paths">What it creates in the image, parents before children.</param>
public sealed record ContextCopy(DockerfileStage Stage, DockerfileInstruction Instruction, IReadOnlyList<CopiedPath> Paths)
{
    /// <summary>True when <see cref="Paths"/> come from the context as the builder would send it; false when only the Dockerfile was read (sources as named, without wildcards).</summary>
    public bool FromContext { get; init; }

    /// <summary>The context paths of local archives an ADD extracts (their content is not modelled).</summary>
    public IReadOnlyList<string> Extracted { get; init; } = [];

    /// <summary>Sources the builder would not find (the build fails on them), as written.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>True when a source is the whole context or a directory of it.</summary>
    public bool CopiesDirectory => Paths.Any(p => p.Kind == CopiedKind.Directory && p.NamedBySource)
        || Paths.Any(p => p.Kind == CopiedKind.Unknown && p.ContextPath?.Length == 0);
}

/// <summary>
/// Works out what each COPY and ADD of a Dockerfile brings from the build context, as BuildKit does it: sources are
/// relative to the context root (a leading <c>/</c> and <c>..</c> cannot leave it), wildcards are matched against the
/// sent context one directory level per pattern element (<c>*</c>, <c>?</c>, classes; no <c>**</c>), a matched
/// directory is copied with everything in it, a source that is a symbolic link is followed inside the context while
/// links inside a copied directory are copied as links, <c>--exclude</c> patterns apply inside each source,
/// <c>--parents</c> keeps the path of what its pattern matches (below an optional <c>/./</c> pivot), and
/// <c>COPY --from</c>, here-documents, URLs and Git sources are not the context. Destinations follow WORKDIR, a
/// trailing slash, and the directories earlier instructions of the stage created.
/// </summary>
public static class ContextCopies
{
    private static readonly string[] ArchiveSuffixes = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst"];

    /// <summary>
    /// Every COPY and ADD from the context, stage by stage. Without <paramref name="context"/> only the sources the
    /// Dockerfile names without wildcards are known, as <see cref="CopiedKind.Unknown"/>.
    /// </summary>
    public static IReadOnlyList<ContextCopy> Resolve(DockerfileDocument dockerfile, SentContext? context)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        var copies = new List<ContextCopy>();
        var images = new Dictionary<DockerfileStage, ImageState>();
        foreach (var stage in dockerfile.Stages)
        {
            var image = stage.BaseStage is { } baseStage && images.TryGetValue(baseStage, out var inherited)
                ? inherited.Clone()
                : new ImageState("/", stage.IsScratch);
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword == "WORKDIR" && instruction.Words is [var workdir, ..] && !instruction.Unresolved)
                {
                    image.Workdir = GoPath.Absolute(image.Workdir, workdir);
                    image.AddDirectory(image.Workdir);
                }
                else if (instruction.Keyword is "COPY" or "ADD" && instruction.Flag("from") is null && instruction.Words is { Count: >= 2 } words && !instruction.Unresolved)
                {
                    var sources = words.Take(words.Count - 1).Where(w => !w.StartsWith("<<", StringComparison.Ordinal) && !IsRemote(w)).ToList();
                    if (sources.Count > 0)
                    {
                        copies.Add(context is null
                            ? Nominal(stage, instruction, sources, words[^1], image)
                            : FromContext(stage, instruction, sources, words[^1], image, context));
                    }
                }
            }

            images[stage] = image;
        }

        return copies;
    }

    /// <summary>True for a source that is not in the context: a URL or a Git repository.</summary>
    public static bool IsRemote(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Contains("://", StringComparison.Ordinal) || source.StartsWith("git@", StringComparison.Ordinal);
    }

    private static ContextCopy FromContext(DockerfileStage stage, DockerfileInstruction instruction, List<string> sources, string destinationWord, ImageState image, SentContext context)
    {
        var destination = Destination(image.Workdir, destinationWord, out var trailingSlash);
        var intoDirectory = trailingSlash || sources.Count > 1;
        var paths = new PathList();
        var missing = new List<string>();
        var extracted = new List<string>();
        var exclude = Patterns(instruction.FlagValues("exclude"));
        var parents = IsTrue(instruction, "parents");
        foreach (var source in sources)
        {
            string root;
            PathPatterns? include = null;
            if (parents)
            {
                var pivot = source.IndexOf("/./", StringComparison.Ordinal);
                var pattern = pivot < 0 ? source : source[(pivot + 3)..];
                root = pivot < 0 ? "/" : source[..pivot];
                include = Patterns([GoPath.Clean("/" + pattern).TrimStart('/')]);
            }
            else
            {
                root = source;
            }

            var matches = Expand(context, root);
            if (matches.Count == 0)
            {
                if (!GoPath.HasWildcard(root))
                {
                    missing.Add(source);
                }

                continue;
            }

            foreach (var match in matches)
            {
                var entry = context.Resolve(match);
                if (entry is null)
                {
                    missing.Add(source);
                    continue;
                }

                if (entry.Kind == ContextEntryKind.Directory || include is not null)
                {
                    var target = GoPath.Clean(destination);
                    paths.AddDirectoryWithParents(target, entry.Path, named: include is null);
                    CopyTree(context, entry.Path, target, include, exclude, paths);
                    image.AddDirectory(target);
                    continue;
                }

                if (instruction.Keyword == "ADD" && ArchiveSuffixes.Any(s => entry.Path.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
                {
                    extracted.Add(entry.Path);
                    continue;
                }

                var name = GoPath.Base(match);
                var (at, alternative) = FileDestination(destination, intoDirectory, name, image);
                paths.AddDirectoryWithParents(GoPath.Parent(at), null, named: false);
                paths.Add(new CopiedPath(at, CopiedKind.File) { ContextPath = entry.Path, Size = entry.Size, NamedBySource = true, AlternativeImagePath = alternative });
                image.AddFile(at);
            }
        }

        foreach (var directory in paths.Items.Where(p => p.Kind == CopiedKind.Directory))
        {
            image.AddDirectory(directory.ImagePath);
        }

        return new ContextCopy(stage, instruction, paths.Items) { FromContext = true, Missing = missing, Extracted = extracted };
    }

    /// <summary>A source without the context: its path as named, the kind unknown.</summary>
    private static ContextCopy Nominal(DockerfileStage stage, DockerfileInstruction instruction, List<string> sources, string destinationWord, ImageState image)
    {
        var destination = Destination(image.Workdir, destinationWord, out var trailingSlash);
        var intoDirectory = trailingSlash || sources.Count > 1;
        var paths = new List<CopiedPath>();
        if (IsTrue(instruction, "parents"))
        {
            return new ContextCopy(stage, instruction, paths);
        }

        foreach (var source in sources.Where(s => !GoPath.HasWildcard(s)))
        {
            var relative = GoPath.Clean("/" + source).TrimStart('/');
            if (relative.Length == 0)
            {
                paths.Add(new CopiedPath(GoPath.Clean(destination), CopiedKind.Unknown) { ContextPath = string.Empty, NamedBySource = true });
                continue;
            }

            var (at, alternative) = FileDestination(destination, intoDirectory, GoPath.Base(relative), image);
            paths.Add(new CopiedPath(at, CopiedKind.Unknown)
            {
                ContextPath = relative,
                NamedBySource = true,

                // A directory's content lands in the destination itself.
                AlternativeImagePath = alternative ?? (intoDirectory ? GoPath.Clean(destination) : null),
            });
        }

        return new ContextCopy(stage, instruction, paths);
    }

    /// <summary>The destination as BuildKit writes it: absolute under the WORKDIR, not cleaned, a trailing slash (or <c>/.</c>) kept.</summary>
    private static string Destination(string workdir, string word, out bool intoDirectory)
    {
        var joined = word.StartsWith('/') ? word : GoPath.Clean(workdir + "/" + word);
        intoDirectory = word.EndsWith('/') || word.EndsWith("/.", StringComparison.Ordinal) || word == ".";
        return joined;
    }

    /// <summary>Where a file source lands, and where it would land instead if the destination were a directory the base image has.</summary>
    private static (string At, string? Alternative) FileDestination(string destination, bool intoDirectory, string name, ImageState image)
    {
        var target = GoPath.Clean(destination);
        if (intoDirectory || image.IsDirectory(target))
        {
            return (GoPath.Clean(target + "/" + name), null);
        }

        return (target, image.Known || image.IsFile(target) ? null : GoPath.Clean(target + "/" + name));
    }

    /// <summary>
    /// The sent context paths a source stands for: itself, or with wildcards, what its pattern matches below the part
    /// before the first wildcard (a matched directory is taken whole, not searched further).
    /// </summary>
    private static List<string> Expand(SentContext context, string source)
    {
        var clean = GoPath.Clean("/" + source).TrimStart('/');
        var parts = clean.Length == 0 ? [] : clean.Split('/');
        var first = Array.FindIndex(parts, GoPath.HasWildcard);
        if (first < 0)
        {
            return [clean];
        }

        var basePart = string.Join('/', parts[..first]);
        var pattern = string.Join('/', parts[first..]);
        var depth = parts.Length - first;
        var start = basePart.Length == 0 ? context.Find(string.Empty) : context.Resolve(basePart);
        if (start is null || start.Kind != ContextEntryKind.Directory)
        {
            return [];
        }

        var matches = new List<string>();
        Search(context, start.Path, string.Empty, pattern, depth, matches);
        return matches;
    }

    private static void Search(SentContext context, string directory, string relative, string pattern, int depthLeft, List<string> matches)
    {
        foreach (var child in context.ChildrenOf(directory))
        {
            var name = GoPath.Base(child.Path);
            var childRelative = relative.Length == 0 ? name : relative + "/" + name;
            bool matched;
            try
            {
                matched = GoPath.Match(pattern, childRelative);
            }
            catch (FormatException)
            {
                // BuildKit ignores the error of a malformed wildcard: no match here.
                matched = false;
            }

            if (matched)
            {
                matches.Add(child.Path);
            }
            else if (child.Kind == ContextEntryKind.Directory && depthLeft > 1)
            {
                Search(context, child.Path, childRelative, pattern, depthLeft - 1, matches);
            }
        }
    }

    /// <summary>What a directory source brings: its content, filtered by <c>--parents</c> and <c>--exclude</c> patterns relative to it.</summary>
    private static void CopyTree(SentContext context, string sourceRoot, string destination, PathPatterns? include, PathPatterns? exclude, PathList paths)
    {
        var pending = new List<CopiedPath>();
        Walk(sourceRoot, string.Empty, MatchState.Unknown, MatchState.Unknown);

        void Walk(string directory, string relative, MatchState includeState, MatchState excludeState)
        {
            foreach (var child in context.ChildrenOf(directory))
            {
                var name = GoPath.Base(child.Path);
                var childRelative = relative.Length == 0 ? name : relative + "/" + name;
                var included = true;
                var excluded = false;
                var childInclude = MatchState.Unknown;
                var childExclude = MatchState.Unknown;
                if (include is not null)
                {
                    included = include.Matches(childRelative, includeState, out childInclude);
                }

                if (exclude is not null && exclude.Matches(childRelative, excludeState, out childExclude))
                {
                    included = false;
                    excluded = true;
                }

                if (!included && include is null && (exclude is null || !exclude.HasExceptions))
                {
                    continue;
                }

                var at = destination == "/" ? "/" + childRelative : destination + "/" + childRelative;
                if (child.Kind != ContextEntryKind.Directory)
                {
                    if (included)
                    {
                        // Directories held back until something in them is copied are created now.
                        paths.AddRange(pending);
                        pending.Clear();
                        paths.Add(new CopiedPath(at, child.Kind == ContextEntryKind.File ? CopiedKind.File : CopiedKind.SymbolicLink) { ContextPath = child.Path, Size = child.Size });
                    }

                    continue;
                }

                var directoryPath = new CopiedPath(at, CopiedKind.Directory) { ContextPath = child.Path };
                var held = pending.Count;
                if (included)
                {
                    paths.AddRange(pending);
                    pending.Clear();
                    held = 0;
                    paths.Add(directoryPath);
                }
                else
                {
                    pending.Add(directoryPath);
                }

                if (!(excluded && (exclude is null || !exclude.HasExceptions)))
                {
                    Walk(child.Path, childRelative, childInclude, childExclude);
                }

                if (!included && pending.Count > held)
                {
                    pending.RemoveRange(held, pending.Count - held);
                }
            }
        }
    }

    private static PathPatterns? Patterns(IEnumerable<string> patterns)
    {
        var list = patterns.ToList();
        if (list.Count == 0)
        {
            return null;
        }

        try
        {
            return PathPatterns.Parse(list);
        }
        catch (FormatException)
        {
            // The build would fail on it; copy as if the flag were not there.
            return null;
        }
    }

    private static bool IsTrue(DockerfileInstruction instruction, string flag) =>
        instruction.HasFlag(flag) && instruction.Flag(flag) is null or "true" or "1";

    /// <summary>The paths a copy creates, each once, in order.</summary>
    private sealed class PathList
    {
        private readonly HashSet<string> seen = new(StringComparer.Ordinal);

        public List<CopiedPath> Items { get; } = [];

        public void Add(CopiedPath path)
        {
            if (seen.Add(path.ImagePath))
            {
                Items.Add(path);
            }
        }

        public void AddRange(IEnumerable<CopiedPath> paths)
        {
            foreach (var path in paths)
            {
                Add(path);
            }
        }

        /// <summary>A directory the copy makes (the destination), with the parents it creates on the way.</summary>
        public void AddDirectoryWithParents(string directory, string? contextPath, bool named)
        {
            if (directory.Length == 0 || directory == "/")
            {
                return;
            }

            AddDirectoryWithParents(GoPath.Parent(directory), null, named: false);
            Add(new CopiedPath(directory, CopiedKind.Directory) { ContextPath = contextPath, NamedBySource = named });
        }
    }

    /// <summary>What the Dockerfile tells of a stage's filesystem so far: its WORKDIR and the directories and files instructions made.</summary>
    private sealed class ImageState(string workdir, bool known)
    {
        private readonly HashSet<string> directories = new(StringComparer.Ordinal) { "/" };
        private readonly HashSet<string> files = new(StringComparer.Ordinal);

        public string Workdir { get; set; } = workdir;

        /// <summary>True when the stage starts from scratch: every directory in it is one the Dockerfile made.</summary>
        public bool Known { get; } = known;

        public bool IsDirectory(string path) => directories.Contains(path);

        public bool IsFile(string path) => files.Contains(path);

        public void AddDirectory(string path)
        {
            for (var p = path; p.Length > 1; p = GoPath.Parent(p))
            {
                directories.Add(p);
            }
        }

        public void AddFile(string path) => files.Add(path);

        public ImageState Clone()
        {
            var copy = new ImageState(Workdir, Known);
            copy.directories.UnionWith(directories);
            copy.files.UnionWith(files);
            return copy;
        }
    }
}
