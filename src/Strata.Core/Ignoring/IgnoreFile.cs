namespace Strata.Core.Ignoring;

using System.Globalization;
using Strata.Core.Documents;
using Strata.Core.Findings;
using YamlDotNet.RepresentationModel;

/// <summary>One entry of a .strataignore file.</summary>
/// <param name="Id">A rule ID (e.g. DKF-001) or a finding fingerprint.</param>
/// <param name="Paths">Optional globs; the entry applies only to findings whose path or file matches one.</param>
/// <param name="Reason">Why it is accepted; mandatory.</param>
/// <param name="Expires">After this day the entry no longer suppresses.</param>
/// <param name="Line">Line in the ignore file, for messages.</param>
public sealed record IgnoreEntry(string Id, IReadOnlyList<string> Paths, string Reason, DateOnly? Expires, int Line)
{
    /// <summary>
    /// The ID as messages show it: a finding fingerprint or a rule ID as it is; anything else, which may be a secret
    /// pasted into the file, redacted.
    /// </summary>
    public string ShownId => Shown(Id);

    internal static string Shown(string id) =>
        IgnoreMatcher.IsFingerprint(id) || (IgnoreMatcher.IsRuleIdShaped(id) && Redaction.Quote(id, id.Length) == id) ? id : Redaction.Redact(id);
}

/// <summary>
/// Reads .strataignore, a YAML list:
/// <code>
/// - id: DKF-001            # rule ID or fingerprint
///   paths: ["examples/**"] # optional globs
///   reason: demo image     # mandatory
///   expires: 2027-01-31    # optional
/// </code>
/// </summary>
public static class IgnoreFile
{
    public const string DefaultName = ".strataignore";

    public static IReadOnlyList<IgnoreEntry> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw StrataException.Usage($"{path}: ignore file not found.");
        }

        return Parse(BoundedFile.ReadAllText(path, Limits.Default.MaxDocumentBytes, "an ignore file"), path);
    }

    public static IReadOnlyList<IgnoreEntry> Parse(string text, string path)
    {
        YamlStream stream;
        try
        {
            stream = YamlSource.LoadStream(text, path);
        }
        catch (StrataException e) when (e.ExitCode != ExitCode.Usage)
        {
            // A malformed ignore file is the user's option to fix: a usage error, as every other ignore-file error.
            throw StrataException.Usage(e.Message);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("ignores"), out var inner))
        {
            root = inner;
        }

        if (root is not YamlSequenceNode sequence)
        {
            throw StrataException.Usage($"{path}:{root.Start.Line}: expected a list of entries (each with id and reason).");
        }

        var entries = new List<IgnoreEntry>();
        foreach (var node in sequence)
        {
            var line = (int)node.Start.Line;
            if (node is not YamlMappingNode entry)
            {
                throw StrataException.Usage($"{path}:{line}: each entry must be a mapping with id and reason.");
            }

            string? id = null, reason = null;
            DateOnly? expires = null;
            var paths = new List<string>();
            foreach (var (keyNode, valueNode) in entry.Children)
            {
                var key = keyNode is YamlScalarNode scalar
                    ? scalar.Value
                    : throw StrataException.BadInput($"{path}:{keyNode.Start.Line}: a key must be a name (id, paths, reason, expires), not a list or mapping.");
                var valueLine = (int)valueNode.Start.Line;
                switch (key)
                {
                    case "id":
                        id = Scalar(valueNode, path, valueLine, "id");
                        break;
                    case "reason":
                        reason = Scalar(valueNode, path, valueLine, "reason");
                        break;
                    case "expires":
                        var dateText = Scalar(valueNode, path, valueLine, "expires");
                        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                        {
                            throw StrataException.Usage($"{path}:{valueLine}: expires must be a date as YYYY-MM-DD, not '{Redaction.Quote(dateText)}'.");
                        }

                        expires = date;
                        break;
                    case "path":
                        paths.Add(Scalar(valueNode, path, valueLine, "path"));
                        break;
                    case "paths":
                        if (valueNode is YamlSequenceNode globs)
                        {
                            paths.AddRange(globs.Select(g => Scalar(g, path, (int)g.Start.Line, "paths")));
                        }
                        else
                        {
                            paths.Add(Scalar(valueNode, path, valueLine, "paths"));
                        }

                        break;
                    default:
                        throw StrataException.Usage($"{path}:{keyNode.Start.Line}: unknown key '{Redaction.Quote(key ?? string.Empty)}' (expected id, paths, reason, expires).");
                }
            }

            if (string.IsNullOrWhiteSpace(id))
            {
                throw StrataException.Usage($"{path}:{line}: entry has no id.");
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                throw StrataException.Usage($"{path}:{line}: entry for {IgnoreEntry.Shown(id)} has no reason; every ignore must say why.");
            }

            entries.Add(new IgnoreEntry(id.Trim(), paths, reason.Trim(), expires, line));
        }

        return entries;
    }

    private static string Scalar(YamlNode node, string path, int line, string key) =>
        node is YamlScalarNode { Value: { } value }
            ? value
            : throw StrataException.Usage($"{path}:{line}: {key} must be a single value.");
}
