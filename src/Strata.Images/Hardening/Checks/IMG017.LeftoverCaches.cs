namespace Strata.Images.Hardening.Checks;

using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci.Layers;

/// <summary>Package manager caches and version-control trees left in the image.</summary>
public sealed partial class LeftoverCaches : Check<ImageView>
{
    private static readonly (string Directory, string What, Func<ImageFile, bool> Counts)[] FixedCaches =
    [
        ("var/lib/apt/lists", "apt package lists", f => f.Name is not ("lock" or "partial" or "auxfiles")),
        ("var/cache/apt/archives", "downloaded .deb packages", f => f.Name.EndsWith(".deb", StringComparison.Ordinal)),
        ("var/cache/apk", "the apk cache", _ => true),
        ("var/cache/yum", "the yum cache", _ => true),
        ("var/cache/dnf", "the dnf cache", _ => true),
        ("root/.cache/pip", "the pip cache", _ => true),
        ("root/.npm", "the npm cache", _ => true),
        ("root/.cache/go-build", "the Go build cache", _ => true),
    ];

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-017",
        Title = "Cache or VCS tree left in the image",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Package lists, downloaded packages and language caches (apt, apk, yum/dnf, pip, npm, Go) make the image larger without being used at run time. A .git (or .svn, .hg) directory ships the project's whole history, which may include removed secrets, internal URLs and unreleased code.",
        Remediation = "Clean caches in the same RUN step that filled them (apt-get update && apt-get install … && rm -rf /var/lib/apt/lists/*; apk add --no-cache; pip install --no-cache-dir; npm ci && npm cache clean --force), and keep .git out of the build context with a .dockerignore.",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get", "https://docs.docker.com/build/concepts/context/#dockerignore-files"],
        Equivalents = ["Dockle DKL-DI-0005 (apt caches)", "Dockle DKL-LI-0003 (unnecessary files)"],
        Examples =
        [
            new RuleExample("-rw-r--r-- 0 0 /app/.git/HEAD", true, "the /app/.git directory"),
            new RuleExample("-rw-r--r-- 0 0 /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", true),
            new RuleExample("-rw-r----- 0 0 /var/lib/apt/lists/lock", false, "apt keeps its lock file"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        return Find(subject, context.Target);
    }

    private IEnumerable<Finding> Find(ImageView image, string target)
    {
        var directories = new List<(string Key, string What, Func<ImageFile, bool> Counts)>();
        foreach (var (directory, what, counts) in FixedCaches)
        {
            directories.Add((directory, what, counts));
        }

        string? insideVcs = null;
        foreach (var file in image.FilesWhere(static (type, _) => type == EntryType.Directory))
        {
            if (insideVcs is not null && EntryPaths.IsWithin(file.Key, insideVcs))
            {
                continue;
            }

            if (file.Name is ".git" or ".svn" or ".hg")
            {
                insideVcs = file.Key;
                directories.Add((file.Key, $"a {file.Name[1..]} repository", _ => true));
            }
            else if (HomeCache().Match(file.Key) is { Success: true } home)
            {
                directories.Add((file.Key, home.Groups["what"].Value == ".npm" ? "the npm cache" : "the pip cache", _ => true));
            }
        }

        foreach (var (key, what, counts) in directories)
        {
            if (image.Find(key) is not { IsDirectory: true })
            {
                continue;
            }

            var files = image.Below(key).Where(f => f.Type is EntryType.File or EntryType.HardLink && counts(f)).ToList();
            if (files.Count == 0)
            {
                continue;
            }

            var bytes = files.Sum(f => f.Entry.Size);
            var largest = files.MaxBy(f => f.Entry.Size) ?? files[0];
            var location = ImageView.LocationOf(largest) with { Path = "/" + key };
            var message = string.Create(CultureInfo.InvariantCulture, $"/{key} holds {what}: {files.Count} files, {ByteSize.Format(bytes)}.");
            yield return Finding.For(Rule, target, location, message, Evidence.Plain("largest: " + ToolPresence.Describe(largest)));
        }
    }

    [GeneratedRegex(@"^home/[^/]+/(?<what>\.npm|\.cache/pip)$", RegexOptions.CultureInvariant)]
    private static partial Regex HomeCache();
}
