namespace Strata.Testing;

using Strata.Core.Targets;

/// <summary>
/// The build context of a Dockerfile rule example, written in the example itself as comments the parser skips:
/// <c># context: PATH</c> for a file (a line of text), <c># context: PATH = CONTENT</c> for a file with that content
/// (<c>\n</c> for a line break), <c># context: PATH/</c> for an empty directory. The Dockerfile sits beside the context
/// directory, as in <c>docker build -f Dockerfile context/</c>, so a copy of the context does not copy the example's own
/// text; <c># context: Dockerfile.dockerignore = …</c> is written beside the Dockerfile, where BuildKit looks for it.
/// </summary>
public static class BuildContextExample
{
    private const string Marker = "# context: ";

    /// <summary>True when the example describes a build context.</summary>
    public static bool HasContext(string dockerfile)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        return dockerfile.Split('\n').Any(l => l.StartsWith(Marker, StringComparison.Ordinal));
    }

    /// <summary>Writes <paramref name="dockerfile"/> as <c>Dockerfile</c> and its context files under <paramref name="directory"/>; returns the Dockerfile target, with the context when there is one.</summary>
    public static ScanTarget Write(string dockerfile, string directory)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        ArgumentNullException.ThrowIfNull(directory);
        var context = Path.Combine(directory, "context");
        Directory.CreateDirectory(context);
        foreach (var line in dockerfile.Split('\n').Where(l => l.StartsWith(Marker, StringComparison.Ordinal)))
        {
            var entry = line[Marker.Length..];
            var equals = entry.IndexOf(" = ", StringComparison.Ordinal);
            var path = (equals < 0 ? entry : entry[..equals]).Trim();
            var full = Path.Combine(path == "Dockerfile.dockerignore" ? directory : context, path);
            if (path.EndsWith('/'))
            {
                Directory.CreateDirectory(full);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, (equals < 0 ? "example" : entry[(equals + 3)..].Replace("\\n", "\n", StringComparison.Ordinal)) + "\n");
        }

        var file = Path.Combine(directory, "Dockerfile");
        File.WriteAllText(file, dockerfile);
        var target = new ScanTarget(TargetKind.Dockerfile, file, file);
        return HasContext(dockerfile) ? target with { BuildContext = new BuildContextSource(context, context) } : target;
    }
}
