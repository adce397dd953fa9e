namespace Strata.Images.Dockerfile.Checks;

using System.Text.RegularExpressions;

/// <summary>
/// Whether a package named on an install command line has its version fixed, in each manager's own syntax. Files,
/// local paths and URLs name one artifact, so they count as pinned.
/// </summary>
internal static partial class PackageVersions
{
    private static readonly string[] PipVersionOperators = ["==", ">=", "<=", "!=", "~=", ">", "<"];
    private static readonly string[] PipArchives = [".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2"];
    private static readonly string[] VcsPrefixes = ["git+", "hg+", "svn+", "bzr+"];
    private static readonly string[] NpmGitPrefixes = ["git://", "git+ssh://", "git+http://", "git+https://", "git+file://", "github:", "gitlab:", "bitbucket:", "gist:"];
    private static readonly string[] NpmTarballs = [".tar", ".tar.gz", ".tgz"];
    private static readonly string[] LocalPrefixes = ["/", "./", "../", "~/"];

    /// <summary>npm dist-tags and wildcards that follow whatever is published next: not a version.</summary>
    private static readonly HashSet<string> NpmMovingTags = new(StringComparer.Ordinal) { string.Empty, "latest", "next", "*", "x" };

    /// <summary>Go version queries that move (<c>@latest</c>) or remove (<c>@none</c>), and branch names that always move.</summary>
    private static readonly HashSet<string> GoMovingQueries = new(StringComparer.Ordinal) { string.Empty, "latest", "upgrade", "patch", "none", "master", "main", "HEAD" };

    /// <summary>
    /// True when the whole command line fixes what it installs: a requirements or constraints file or the local project
    /// for pip (the file is what to pin), <c>-v</c> for gem.
    /// </summary>
    public static bool CommandIsPinned(PackageCommandLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Manager.Versions switch
        {
            VersionSyntax.Pip => line.Options.Any(o => o is "-r" or "-c" || o.StartsWith("--requirement", StringComparison.Ordinal) || o.StartsWith("--constraint", StringComparison.Ordinal)
                    || (o.Length > 2 && o[0] == '-' && o[1] is 'r' or 'c'))
                || line.Operands.Contains("."),
            VersionSyntax.Gem => line.Options.Any(o => o is "-v" || o.StartsWith("--version", StringComparison.Ordinal)),
            _ => false,
        };
    }

    /// <summary>True when <paramref name="package"/>, an operand of <paramref name="line"/>, has its version fixed.</summary>
    /// <param name="isDefined">Whether a variable is set by an ARG or ENV the command sees (a version kept in a build argument counts).</param>
    public static bool IsPinned(PackageCommandLine line, string package, Func<string, bool> isDefined)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(isDefined);
        return line.Manager.Versions switch
        {
            VersionSyntax.Apt => package.Contains('=', StringComparison.Ordinal) || package.EndsWith(".deb", StringComparison.Ordinal) || IsLocalOrUrl(package),
            VersionSyntax.Apk => package.AsSpan().ContainsAny("=~<>") || package.EndsWith(".apk", StringComparison.Ordinal) || IsLocalOrUrl(package),
            VersionSyntax.Pip => PipPinned(package),
            VersionSyntax.Npm => NpmPinned(package),
            VersionSyntax.Gem => package.Contains(':', StringComparison.Ordinal) || package.EndsWith(".gem", StringComparison.Ordinal) || IsLocalOrUrl(package),
            VersionSyntax.Rpm => line.Manager.ModuleSubcommands.Contains(line.Verb) ? package.Contains(':', StringComparison.Ordinal) : RpmPinned(package, isDefined),
            VersionSyntax.Zypper => package.AsSpan().ContainsAny("=<>") || package.EndsWith(".rpm", StringComparison.Ordinal),
            VersionSyntax.Go => GoPinned(package),
            _ => false,
        };
    }

    /// <summary>The packages of an install command: for <c>go run</c> only the first operand (the rest are the program's arguments).</summary>
    public static IEnumerable<string> Packages(PackageCommandLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Manager.Versions == VersionSyntax.Go && line.Verb == "run" ? line.Operands.Take(1) : line.Operands;
    }

    private static bool IsLocalOrUrl(string package) =>
        LocalPrefixes.Any(p => package.StartsWith(p, StringComparison.Ordinal)) || package.Contains("://", StringComparison.Ordinal);

    private static bool PipPinned(string package)
    {
        if (PipVersionOperators.Any(o => package.Contains(o, StringComparison.Ordinal)) || PipArchives.Any(a => package.EndsWith(a, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        if (VcsPrefixes.Any(p => package.StartsWith(p, StringComparison.Ordinal)))
        {
            // git+https://host/org/repo.git@v1.2#egg=x: the ref follows the path; an @ in user@host is not a ref.
            var scheme = package.IndexOf("://", StringComparison.Ordinal);
            var path = scheme < 0 ? -1 : package.IndexOf('/', scheme + 3);
            return path >= 0 && package.IndexOf('@', path) > 0;
        }

        // A path or URL; the local project with extras (.[dev]) too.
        return package.Contains('/', StringComparison.Ordinal) || package.StartsWith('.');
    }

    private static bool NpmPinned(string package)
    {
        if (NpmGitPrefixes.Any(p => package.StartsWith(p, StringComparison.Ordinal)))
        {
            return package.Contains('#', StringComparison.Ordinal);
        }

        if (NpmTarballs.Any(t => package.EndsWith(t, StringComparison.Ordinal)) || LocalPrefixes.Any(p => package.StartsWith(p, StringComparison.Ordinal)) || package.StartsWith("file:", StringComparison.Ordinal))
        {
            return true;
        }

        // @scope/name@range: the version is after the @ that follows the scope.
        var name = package.StartsWith('@') && package.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? package[(slash + 1)..] : package;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            // user/repo#commit is a GitHub shorthand with a ref.
            return name.Contains('/', StringComparison.Ordinal) && name.Contains('#', StringComparison.Ordinal);
        }

        return !NpmMovingTags.Contains(name[(at + 1)..].Trim('"', '\''));
    }

    private static bool GoPinned(string package)
    {
        if (package.StartsWith('.') || package.StartsWith('/') || package.EndsWith(".go", StringComparison.Ordinal))
        {
            return true;
        }

        var at = package.LastIndexOf('@');
        return at >= 0 && !GoMovingQueries.Contains(package[(at + 1)..]);
    }

    /// <summary>
    /// name-version[-release] as rpm writes it: the last dash-separated part starts with a digit and every part after
    /// the name is made of version characters (<c>httpd-2.4.57</c>, <c>openssl-1:3.0.7</c>, <c>git-core-2.43.0-1.el9</c>,
    /// <c>kernel-devel-5.14*</c>); <c>java-17-openjdk</c> is a name. A version in a variable counts when an ARG or ENV sets it.
    /// </summary>
    private static bool RpmPinned(string package, Func<string, bool> isDefined)
    {
        if (package.EndsWith(".rpm", StringComparison.Ordinal))
        {
            return true;
        }

        if (package.StartsWith('@'))
        {
            // @group has no version to pin (as `dnf group install`); @module:stream is pinned by its stream.
            return true;
        }

        var parts = package.Split('-');
        if (parts.Length < 2)
        {
            return false;
        }

        if (package.Contains('$', StringComparison.Ordinal))
        {
            return Variable().Matches(package).Any(m => isDefined(m.Groups[1].Value));
        }

        return parts[^1].Length > 0 && char.IsAsciiDigit(parts[^1][0]) && parts.Skip(1).All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '~' or '^' or '_' or ':' or '+' or '*'));
    }

    [GeneratedRegex(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Variable();
}
