namespace Strata.Secrets.Assignments;

using System.Text.RegularExpressions;

/// <summary>What kind of file an assignment stands in, which decides what its value can be.</summary>
public enum AssignmentSource
{
    /// <summary>Configuration, scripts, env files, documents: an unquoted value is a literal.</summary>
    Config,

    /// <summary>Program source: an unquoted value is an expression (a variable, a call), only a quoted one is a literal.</summary>
    Code,

    /// <summary>Program source of the C family (C, C++, C#, Objective-C), where single quotes make a character, not a string.</summary>
    CFamilyCode,

    /// <summary>Go source: as <see cref="Code"/>, but an unquoted value that looks like a random token is taken as one, as detect-secrets does.</summary>
    GoCode,

    /// <summary>
    /// A file of an installed runtime or published package (anything the distribution installed under /usr, outside
    /// /usr/local and /usr/src; a Python standard library, site-packages, node_modules, a JDK, a Go toolchain, Perl and
    /// Ruby libraries, wherever they are): code its authors shipped to everyone, whose passwords and tokens are
    /// parameters, defaults and documentation examples.
    /// </summary>
    PackageCode,
}

/// <summary>Tells <see cref="AssignmentSource"/> from a file's path.</summary>
public static partial class AssignmentSources
{
    private static readonly HashSet<string> CodeExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".py", ".pyi", ".pyx", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".java", ".kt", ".kts", ".scala",
        ".groovy", ".rb", ".php", ".vb", ".fs", ".swift", ".rs", ".pl", ".pm", ".lua", ".dart", ".ex", ".exs", ".erl", ".clj",
        ".r", ".jl", ".ps1", ".psm1", ".tf", ".cls", ".pas", ".pp", ".dpr", ".lpr", ".inc", ".vim", ".el", ".tcl", ".tm",
    };

    private static readonly HashSet<string> CFamilyExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx", ".m", ".mm", ".cs",
    };

    /// <summary>The source kind of a file shown as <paramref name="path"/> (a path in an image, a root filesystem or a project).</summary>
    public static AssignmentSource Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = path.Replace('\\', '/');
        if (PackageTree().IsMatch(normalized))
        {
            return AssignmentSource.PackageCode;
        }

        var extension = Path.GetExtension(normalized);
        return CodeExtensions.Contains(extension) ? AssignmentSource.Code
            : CFamilyExtensions.Contains(extension) ? AssignmentSource.CFamilyCode
            : extension.Equals(".go", StringComparison.OrdinalIgnoreCase) ? AssignmentSource.GoCode
            : AssignmentSource.Config;
    }

    /// <summary>Trees of installed runtimes and packages, wherever they are rooted (an image, a virtualenv, a project).</summary>
    [GeneratedRegex(
        """
        (?:^|/)(?:
          usr/(?:share|lib|lib32|lib64|libx32|libexec|include|bin|sbin|games)/
        | (?:usr/local/)?lib(?:64)?/python[0-9][0-9.]*/
        | (?:site|dist)-packages/
        | node_modules/
        | bower_components/
        | usr/lib/jvm/ | opt/java/ | usr/local/openjdk[^/]*/ | usr/share/java/
        | usr/local/go/ | usr/lib/go(?:-[0-9.]+)?/ | go/pkg/mod/ | usr/share/go(?:-[0-9.]+)?/
        | usr/(?:local/)?share/perl(?:5|-base)?/ | usr/(?:local/)?lib/(?:[a-z0-9_]+-linux-gnu[a-z]*/)?perl(?:5|-base)?/
        | usr/(?:local/)?lib/ruby/ | usr/share/ruby(?:gems-integration)?/ | (?:usr/local/)?bundle/gems/ | gems/[^/]+-[0-9][^/]*/ | vendor/bundle/
        | usr/share/php/ | vendor/[^/]+/[^/]+/
        | usr/share/javascript/ | usr/(?:local/)?share/lua/ | usr/(?:local/)?lib/(?:[a-z0-9_]+-linux-gnu[a-z]*/)?lua/
        | usr/(?:lib|share)/dotnet/ | \.nuget/packages/ | \.cargo/registry/
        )
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex PackageTree();
}
