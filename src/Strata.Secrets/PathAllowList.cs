namespace Strata.Secrets;

using System.Text.RegularExpressions;
using Strata.Core;

/// <summary>
/// Paths whose files are not scanned, as globs over the path without its leading slash:
/// <c>**</c> crosses directories, <c>*</c> and <c>?</c> do not.
/// </summary>
public sealed class PathAllowList
{
    /// <summary>
    /// Trees that hold documentation, package-manager metadata, or test fixtures of third-party
    /// packages: their keys and passwords are published samples, and reporting them would bury
    /// the real findings. Application test trees are not listed: a live secret there still counts.
    /// </summary>
    public static readonly IReadOnlyList<string> BuiltIn =
    [
        // Pseudo and device file systems, should a live root be scanned.
        "proc/**", "sys/**", "dev/**",

        // Distribution documentation.
        "usr/share/doc/**", "usr/share/man/**", "usr/share/info/**", "usr/share/locale/**", "usr/share/i18n/**",
        "usr/share/common-licenses/**", "usr/share/zoneinfo/**", "usr/share/lintian/**",

        // Package-manager metadata: checksums, descriptions and maintainer scripts of the distribution.
        "var/lib/dpkg/**", "var/lib/apt/lists/**", "var/cache/apt/**", "var/cache/debconf/templates.dat*",
        "var/lib/rpm/**", "lib/apk/db/**", "var/lib/pacman/**",

        // Fixtures that third-party packages ship with their tests and examples.
        "**/testdata/**", "**/__fixtures__/**", "**/test/fixtures/**", "**/tests/fixtures/**", "**/spec/fixtures/**",
        "**/node_modules/**/test/**", "**/node_modules/**/tests/**", "**/node_modules/**/__tests__/**",
        "**/node_modules/**/example/**", "**/node_modules/**/examples/**", "**/node_modules/**/docs/**",
        "**/site-packages/**/tests/**", "**/dist-packages/**/tests/**",

        // The tests of Go toolchains and modules: their keys, URLs and netrc files are fixtures.
        "usr/local/go/**/*_test.go", "usr/lib/go-*/**/*_test.go", "usr/share/go-*/**/*_test.go", "**/go/pkg/mod/**/*_test.go",
    ];

    private readonly Regex? combined;

    public PathAllowList(IEnumerable<string> globs)
    {
        ArgumentNullException.ThrowIfNull(globs);
        Globs = [.. globs];
        if (Globs.Count > 0)
        {
            var pattern = "^(?:" + string.Join("|", Globs.Select(GlobToPattern)) + ")$";
            combined = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
    }

    public IReadOnlyList<string> Globs { get; }

    public bool IsAllowed(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (combined is null)
        {
            return false;
        }

        // Paths are matched relative to their root: /etc/app.conf in a layer, app/Dockerfile or ./app/Dockerfile as given.
        var relative = path.TrimStart('/');
        while (relative.StartsWith("./", StringComparison.Ordinal))
        {
            relative = relative[2..].TrimStart('/');
        }

        return combined.IsMatch(relative);
    }

    internal static string GlobToPattern(string glob) => PathGlob.ToPattern(glob);
}
