namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Compilers and build tools in the final image: the sign of a single-stage build.</summary>
public sealed class BuildToolsPresent : Check<ImageView>
{
    public static readonly IReadOnlySet<string> Tools = new HashSet<string>(StringComparer.Ordinal)
    {
        "gcc", "cc", "c++", "g++", "cpp", "clang", "clang++", "tcc", "make", "gmake", "cmake", "ninja", "meson", "autoconf", "automake", "libtool",
        "go", "rustc", "cargo", "javac", "mvn", "gradle", "ant", "sbt",
    };

    /// <summary>Packages that exist only to build software.</summary>
    public static readonly IReadOnlySet<string> Packages = new HashSet<string>(StringComparer.Ordinal) { "build-essential", "build-base", "alpine-sdk" };

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-006",
        Title = "Build tools in the final image",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "Compilers and build tools are needed to build the application, not to run it. In the final image they add hundreds of megabytes and many packages to patch, and they let an attacker with code execution compile exploits and tools on the spot. Their presence usually means the image was built in a single stage.",
        Remediation = "Use a multi-stage build: compile in a stage FROM the SDK image, then COPY --from=build only the artefacts into a minimal final stage (distroless, slim, scratch for static binaries). The finding names the tools that would be left behind.",
        References = ["https://docs.docker.com/build/building/multi-stage/"],
        Equivalents = ["Dockle (no direct check)"],
        Examples =
        [
            new RuleExample("-rwxr-xr-x 0 0 /usr/bin/gcc-12\n-rwxr-xr-x 0 0 /usr/bin/make", true, "one finding naming gcc and make"),
            new RuleExample("-rwxr-xr-x 0 0 /app/server", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var tools = Executables.Find(subject, Classify);
        var packages = InstalledPackages.Read(subject).SelectMany(d => d.Names.Where(Packages.Contains).Select(n => (Database: d, Name: n))).ToList();
        if (tools.Count == 0 && packages.Count == 0)
        {
            yield break;
        }

        var names = tools.Select(t => t.Name).Concat(packages.Select(p => p.Name + " (package)")).ToList();
        var where = tools.Select(t => $"{t.Name} ({t.Paths})").Concat(packages.Select(p => $"{p.Name} ({p.Database.Manager} package)"));
        var location = tools.Count > 0
            ? ImageView.LocationOf(tools[0].Files[0])
            : subject.Resolve(packages[0].Database.DatabasePath) is { } database ? ImageView.LocationOf(database) with { Path = packages[0].Database.DatabasePath } : new Location { Path = packages[0].Database.DatabasePath };
        yield return Finding.For(
            Rule,
            context.Target,
            location,
            $"Build tools in the final image: {string.Join(", ", where)}. Build in a separate stage and copy only the artefacts; a multi-stage build would leave {string.Join(", ", names)} behind.",
            tools.Count > 0 ? Evidence.Plain(ToolPresence.Describe(tools[0].Files[0])) : null);
    }

    internal static string? Classify(string name)
    {
        var baseName = ToolPresence.BaseName(name);
        return Tools.Contains(baseName) ? baseName : null;
    }
}
