namespace Strata.Secrets.Assignments;

using System.Text.RegularExpressions;

/// <summary>What kind of file an assignment stands in, which decides what its value can be.</summary>
public enum AssignmentSource
{
    /// <summary>Configuration, scripts, env files, documents: an unquoted value is a literal.</summary>
    Config,

    /// <summary>Program source: an unquoted value is an expression (a variable, a call), only a quoted one is a literal.</summary>
    Code,

    /// <summary>
    /// A file of an installed runtime or published package (a Python standard library, site-packages, node_modules,
    /// a JDK, a Go toolchain, Perl and Ruby libraries …): code its authors shipped to everyone, whose passwords and
    /// tokens are parameters, defaults and documentation examples.
    /// </summary>
    PackageCode,
}

/// <summary>Tells <see cref="AssignmentSource"/> from a file's path.</summary>
public static partial class AssignmentSources
{
    private static readonly HashSet<string> CodeExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".py", ".pyi", ".pyx", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".java", ".kt", ".kts", ".scala",
        ".groovy", ".go", ".rb", ".php", ".cs", ".vb", ".fs", ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".m", ".mm",
        ".swift", ".rs", ".pl", ".pm", ".lua", ".dart", ".ex", ".exs", ".erl", ".clj", ".r", ".jl", ".ps1", ".psm1", ".tf",
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

        return CodeExtensions.Contains(Path.GetExtension(normalized)) ? AssignmentSource.Code : AssignmentSource.Config;
    }

    /// <summary>Trees of installed runtimes and packages, wherever they are rooted (an image, a virtualenv, a project).</summary>
    [GeneratedRegex(
        """
        (?:^|/)(?:
          (?:usr/(?:local/)?)?lib(?:64)?/python[0-9][0-9.]*/
        | (?:site|dist)-packages/
        | node_modules/
        | bower_components/
        | usr/lib/jvm/ | opt/java/ | usr/local/openjdk[^/]*/ | usr/share/java/
        | usr/local/go/ | usr/lib/go(?:-[0-9.]+)?/ | go/pkg/mod/ | usr/share/go(?:-[0-9.]+)?/
        | usr/(?:local/)?share/perl5?/ | usr/(?:local/)?lib/(?:[a-z0-9_]+-linux-gnu[a-z]*/)?perl5?/
        | usr/(?:local/)?lib/ruby/ | usr/share/ruby(?:gems-integration)?/ | (?:usr/local/)?bundle/gems/ | gems/[^/]+-[0-9][^/]*/ | vendor/bundle/
        | usr/share/php/ | vendor/[^/]+/[^/]+/
        | usr/share/javascript/ | usr/(?:local/)?share/lua/ | usr/(?:local/)?lib/(?:[a-z0-9_]+-linux-gnu[a-z]*/)?lua/
        | usr/(?:lib|share)/dotnet/ | \.nuget/packages/ | \.cargo/registry/
        )
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex PackageTree();
}
