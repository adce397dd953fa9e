namespace Strata.Engine.Targets;

using System.IO.Enumeration;
using Strata.Core;
using Strata.Core.Targets;
using Strata.Oci.Transports;

/// <summary>What <see cref="SourceTree.Discover"/> found in a directory.</summary>
/// <param name="Targets">Each Dockerfile, Kubernetes manifest, seccomp profile and runtime config, as a target of its own.</param>
/// <param name="OtherFiles">Every other regular file (relative, '/'-separated), for the secret rules; empty when one kind was asked for.</param>
/// <param name="Warnings">Helm charts and templates skipped, configuration files not applied, directories not read.</param>
public sealed record SourceTreeContents(IReadOnlyList<ScanTarget> Targets, IReadOnlyList<string> OtherFiles, IReadOnlyList<string> Warnings);

/// <summary>
/// A directory of source (a repository, a folder of manifests): discovery of the files Strata has scanners for, and the
/// test that tells such a tree from a root filesystem.
/// </summary>
/// <remarks>
/// Discovery never follows a symbolic link, reads only regular non-empty files, and does not descend into version
/// control and vendored dependencies (<see cref="SkippedDirectories"/>) nor into an image layout found in the tree
/// (scan that on its own). Strata configuration files found in a tree (<c>.strataignore</c>, <c>strata-secrets.yaml</c>)
/// are not applied: a scanned tree must not be able to silence its own findings; a warning names each one.
/// </remarks>
public static class SourceTree
{
    /// <summary>Most files and directories one tree may hold.</summary>
    public const int MaxEntries = 1_000_000;

    /// <summary>Directories discovery does not enter: version control and vendored or cached dependencies.</summary>
    public static IReadOnlySet<string> SkippedDirectories { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ".git", ".hg", ".svn", "node_modules", "bower_components", "vendor", ".venv", "venv", "__pycache__", ".tox", ".terraform", ".gradle",
    };

    /// <summary>
    /// True when <paramref name="directory"/> is shaped like an unpacked root filesystem: an os-release file
    /// (<c>etc/os-release</c> or <c>usr/lib/os-release</c>), or an <c>etc/passwd</c> beside <c>bin</c>, <c>sbin</c> or
    /// <c>usr/bin</c> (busybox and other images without os-release). Anything else is a source tree.
    /// </summary>
    public static bool LooksLikeRootFs(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Present(directory, "etc/os-release") || Present(directory, "usr/lib/os-release")
            || (Present(directory, "etc/passwd") && (Present(directory, "bin") || Present(directory, "sbin") || Present(directory, "usr/bin")));
    }

    /// <summary>True for a target that is a directory of files to discover: a source tree, or <c>KIND:DIR</c>.</summary>
    public static bool IsTree(ScanTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Kind == TargetKind.SourceTree || (target.Kind.IsFileKind() && Directory.Exists(target.Locator));
    }

    /// <summary>How a file of a tree is named in findings: under the directory as the user wrote it (<c>repo/app/Dockerfile</c>).</summary>
    public static string DisplayName(ScanTarget tree, string relative)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var root = tree.Locator;
        return root is "." or "./" ? relative : root.EndsWith('/') ? root + relative : root + "/" + relative;
    }

    /// <summary>
    /// Walks a tree (<see cref="TargetKind.SourceTree"/>: every kind, the rest for the secret rules; a file kind: only
    /// files of that kind) in a stable order.
    /// </summary>
    /// <param name="appliedConfiguration">Full paths of the configuration files this run applies (not warned about).</param>
    /// <param name="limits">Bounds the read of a JSON file to tell its kind.</param>
    public static SourceTreeContents Discover(ScanTarget tree, IReadOnlyCollection<string> appliedConfiguration, CancellationToken cancellationToken, Limits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(appliedConfiguration);
        TargetKind? only = tree.Kind == TargetKind.SourceTree ? null : tree.Kind;
        var root = Path.GetFullPath(tree.Locator);
        if (!Directory.Exists(root))
        {
            throw StrataException.Usage($"{tree.Locator}: no such directory.");
        }

        var targets = new List<ScanTarget>();
        var others = new List<string>();

        // Files whose secrets this run reports through the tree (or their own scanner): a Dockerfile's build context
        // does not report them again. Filled as the walk goes; shared by every Dockerfile of the tree.
        var reportedSecrets = new HashSet<string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var entries = 0;
        var pending = new Stack<(string Relative, string? Chart)>();
        pending.Push((string.Empty, null));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (relative, chart) = pending.Pop();
            var full = relative.Length == 0 ? root : Path.Combine(root, relative);
            List<Entry> children;
            try
            {
                children = List(full);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{DisplayName(tree, relative)}: cannot read this directory ({e.Message}); its files were not scanned.");
                continue;
            }

            entries += children.Count;
            if (entries > MaxEntries)
            {
                throw StrataException.BadInput($"{tree.Locator}: more than {MaxEntries} files and directories.");
            }

            // A chart's templates are Kubernetes only once rendered: one warning for the chart (its subcharts included),
            // none per template.
            if (children.Any(c => !c.IsDirectory && c.Name == "Chart.yaml"))
            {
                if (chart is null && only is null or TargetKind.KubernetesManifest)
                {
                    var shown = relative.Length == 0 ? tree.Locator : DisplayName(tree, relative);
                    warnings.Add($"{shown}: a Helm chart ({CountFiles(Path.Combine(full, "templates"))} template files not scanned as manifests); render it with `helm template {shown} > rendered.yaml` and scan rendered.yaml.");
                }

                chart = relative;
            }

            var subdirectories = new List<(string, string?)>();
            foreach (var child in children)
            {
                var path = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
                if (child.IsDirectory)
                {
                    if (SkippedDirectories.Contains(child.Name))
                    {
                        continue;
                    }

                    if (ImageTransports.Recognise(Path.Combine(full, child.Name)) is { } transport)
                    {
                        warnings.Add($"{DisplayName(tree, path)}: {transport.Description}, not part of the tree's scan; scan it on its own (strata scan {DisplayName(tree, path)}).");
                        continue;
                    }

                    subdirectories.Add((path, chart));
                    continue;
                }

                if (chart is not null && IsUnder(path, chart.Length == 0 ? "templates" : chart + "/templates"))
                {
                    if (only is null)
                    {
                        others.Add(path);
                    }

                    continue;
                }

                var fileClass = FileKinds.Classify(Path.Combine(full, child.Name), sniffAnyName: false, limits);
                var name = DisplayName(tree, path);
                if (only is TargetKind wanted)
                {
                    if (fileClass.Kind == wanted)
                    {
                        targets.Add(FileTarget(tree, wanted, name, path, reportedSecrets));
                    }
                    else if (wanted == TargetKind.KubernetesManifest && fileClass.IsHelm && chart is null && fileClass.Hint is { } helmHint)
                    {
                        warnings.Add($"{name}: {fileClass.What}; {helmHint}.");
                    }

                    continue;
                }

                if (fileClass.Kind != TargetKind.File)
                {
                    targets.Add(FileTarget(tree, fileClass.Kind, name, path, reportedSecrets));

                    // Dockerfiles and manifests get the secret rules from their own scanners; profiles and configs do not.
                    if (fileClass.Kind is not (TargetKind.Dockerfile or TargetKind.KubernetesManifest))
                    {
                        others.Add(path);
                        reportedSecrets.Add(Path.Combine(root, path));
                    }

                    continue;
                }

                others.Add(path);
                reportedSecrets.Add(Path.Combine(root, path));
                if (fileClass.IsHelm && chart is null && fileClass.Hint is { } hint)
                {
                    warnings.Add($"{name}: {fileClass.What}; {hint}.");
                }
                else if (fileClass.IsStrataConfiguration && !appliedConfiguration.Contains(Path.Combine(full, child.Name)))
                {
                    var option = child.Name == Core.Ignoring.IgnoreFile.DefaultName ? "--ignore-file" : "--secret-config";
                    warnings.Add($"{name}: {fileClass.What} inside a scanned directory is not applied (a scanned tree cannot silence its own findings); pass {option} {name} to use it.");
                }
            }

            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }

        return new SourceTreeContents(targets, others, warnings);
    }

    /// <summary>
    /// A file of the tree as a target of its own. A Dockerfile gets its directory as build context (as <c>docker build
    /// DIR</c> with the Dockerfile in DIR), and the set of files whose secrets the run reports already.
    /// </summary>
    private static ScanTarget FileTarget(ScanTarget tree, TargetKind kind, string name, string path, HashSet<string> reportedSecrets)
    {
        var target = new ScanTarget(kind, name, Path.Combine(tree.Locator, path));
        if (kind is TargetKind.Dockerfile or TargetKind.KubernetesManifest)
        {
            reportedSecrets.Add(Path.GetFullPath(target.Locator));
        }

        if (kind != TargetKind.Dockerfile)
        {
            return target;
        }

        var slash = path.LastIndexOf('/');
        var directory = slash < 0 ? string.Empty : path[..slash];
        return target with
        {
            BuildContext = new BuildContextSource(Path.Combine(tree.Locator, directory), directory.Length == 0 ? tree.Locator : DisplayName(tree, directory))
            {
                SecretsReportedElsewhere = reportedSecrets,
            },
        };
    }

    private static bool IsUnder(string path, string directory) =>
        path.StartsWith(directory + "/", StringComparison.Ordinal);

    private static bool Present(string directory, string relative)
    {
        var path = Path.Combine(directory, relative);
        return File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
    }

    private readonly record struct Entry(string Name, bool IsDirectory);

    /// <summary>
    /// A directory's entries in ordinal order: real directories, and regular files that hold something. Symbolic links
    /// are left out (never followed); special files report a length of zero, so they are left out too and a FIFO
    /// can never block discovery.
    /// </summary>
    private static List<Entry> List(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        var enumerable = new FileSystemEnumerable<Entry>(directory, (ref FileSystemEntry entry) => new Entry(entry.FileName.ToString(), entry.IsDirectory), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                (entry.Attributes & FileAttributes.ReparsePoint) == 0 && (entry.IsDirectory || entry.Length > 0),
        };
        var list = enumerable.ToList();
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    private static int CountFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        try
        {
            return new FileSystemEnumerable<bool>(directory, (ref FileSystemEntry _) => true, new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
            {
                ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
            }.Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
