namespace Strata.Images.Hardening;

using System.Text.RegularExpressions;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci.Layers;

/// <summary>Turns found programs into findings: one per tool, at its first path, every path named.</summary>
public static partial class ToolPresence
{
    public static IEnumerable<Finding> Report(Rule rule, string target, IEnumerable<FoundTool> tools, Func<FoundTool, string> message, Func<FoundTool, Severity?>? severity = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(message);
        foreach (var tool in tools)
        {
            var first = tool.Files[0];
            yield return Finding.For(rule, target, ImageView.LocationOf(first), message(tool), Evidence.Plain(Describe(first)), severity?.Invoke(tool));
        }
    }

    /// <summary>An ls-like line: <c>-rwsr-xr-x 0/0 /usr/bin/su</c>, with the link target for links.</summary>
    public static string Describe(ImageFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var entry = file.Entry;
        var link = entry.Type switch
        {
            EntryType.Symlink => " -> " + entry.LinkTarget,
            EntryType.HardLink => " (hard link to /" + entry.LinkTarget + ")",
            _ => string.Empty,
        };
        return FormattableString.Invariant($"{entry.ModeString} {entry.Uid}/{entry.Gid} {file.Path}{link}");
    }

    /// <summary>Versioned names map to their tool: <c>pip3.11</c> → pip, <c>gcc-12</c> → gcc, <c>python3.11</c> stays itself.</summary>
    public static string BaseName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var match = VersionSuffix().Match(name);
        return match.Success ? match.Groups["base"].Value : name;
    }

    [GeneratedRegex(@"^(?<base>pip|gcc|g\+\+|clang|clang\+\+|cpp|javac)(?:-?[0-9][0-9.]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionSuffix();
}
