namespace Strata.Images.Dockerfile;

using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using YamlDotNet.RepresentationModel;

/// <summary>What a label of a <see cref="DockerfileLintConfig.LabelSchema"/> must hold (hadolint's label types).</summary>
public enum LabelType
{
    /// <summary>Any text (only required to be present and not empty).</summary>
    Text,

    /// <summary>An absolute URI with a scheme.</summary>
    Url,

    /// <summary>One SPDX license identifier.</summary>
    Spdx,

    /// <summary>A git commit hash: 7 or 40 lowercase hexadecimal digits.</summary>
    Hash,

    /// <summary>An RFC 3339 date and time.</summary>
    Rfc3339,

    /// <summary>A semantic version (semver.org 2.0.0).</summary>
    SemVer,

    /// <summary>An RFC 5322 address (local@domain).</summary>
    Email,
}

/// <summary>
/// The Dockerfile lint configuration: trusted registries for FROM and the label schema. It reads hadolint's own file
/// (<c>.hadolint.yaml</c>) so a project keeps the one it has: <c>trustedRegistries</c>, <c>label-schema</c> and
/// <c>strict-labels</c> are used; hadolint's other keys (<c>ignored</c>, <c>override</c>, <c>failure-threshold</c> …)
/// are accepted and have no effect; any other key is an error, so a typo does not silently disable a policy.
/// <code>
/// trustedRegistries: [docker.io, "*.corp.example.com"]
/// label-schema:
///   org.opencontainers.image.source: url
///   org.opencontainers.image.licenses: spdx
/// strict-labels: false
/// </code>
/// </summary>
public sealed class DockerfileLintConfig
{
    /// <summary>The names looked for in the working directory when no file is given, in order.</summary>
    public static readonly IReadOnlyList<string> DefaultNames = [".hadolint.yaml", ".hadolint.yml"];

    /// <summary>No registry policy and no label schema: the rules that need them stay silent.</summary>
    public static readonly DockerfileLintConfig Empty = new();

    private static readonly Dictionary<string, LabelType> LabelTypes = new(StringComparer.Ordinal)
    {
        ["text"] = LabelType.Text,
        [string.Empty] = LabelType.Text,
        ["url"] = LabelType.Url,
        ["spdx"] = LabelType.Spdx,
        ["hash"] = LabelType.Hash,
        ["rfc3339"] = LabelType.Rfc3339,
        ["semver"] = LabelType.SemVer,
        ["email"] = LabelType.Email,
    };

    /// <summary>hadolint settings that are not Dockerfile policy (output, ignore lists, thresholds): accepted, not used.</summary>
    private static readonly HashSet<string> AcceptedHadolintKeys = new(StringComparer.Ordinal)
    {
        "ignored", "override", "failure-threshold", "no-fail", "no-color", "verbose", "format", "formats", "disable-ignore-pragma",
    };

    /// <summary>Where the configuration came from, for messages; null for <see cref="Empty"/>.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// Registries FROM (and COPY --from, RUN --mount from=) may name: a host (<c>registry.example.com</c>), <c>*.suffix</c>,
    /// <c>prefix*</c> or <c>*</c>. Images without a registry are on <c>docker.io</c>. Empty: any registry.
    /// </summary>
    public IReadOnlyList<string> TrustedRegistries { get; init; } = [];

    /// <summary>Labels every image must carry, with the type of their value.</summary>
    public IReadOnlyDictionary<string, LabelType> LabelSchema { get; init; } = new Dictionary<string, LabelType>(StringComparer.Ordinal);

    /// <summary>True when labels outside <see cref="LabelSchema"/> are reported.</summary>
    public bool StrictLabels { get; init; }

    /// <summary>True when <paramref name="registry"/> (a host name, e.g. <c>docker.io</c>) matches a trusted pattern.</summary>
    public bool Trusts(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var pattern in TrustedRegistries)
        {
            var matches = pattern == "*"
                || (pattern.StartsWith('*') && registry.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase))
                || (pattern.EndsWith('*') && registry.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase))
                || string.Equals(pattern, registry, StringComparison.OrdinalIgnoreCase);
            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The configuration in <paramref name="path"/>.</summary>
    /// <exception cref="StrataException">Exit code 2: the file is missing or not a valid configuration.</exception>
    public static DockerfileLintConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw StrataException.Usage($"{path}: Dockerfile lint configuration not found.");
        }

        string text;
        try
        {
            text = BoundedFile.ReadAllText(path, Limits.Default.MaxDocumentBytes, "a Dockerfile lint configuration");
        }
        catch (StrataException e)
        {
            throw StrataException.Usage(e.Message);
        }

        return Parse(text, path);
    }

    /// <summary>The first of <see cref="DefaultNames"/> in <paramref name="directory"/>, or null when there is none.</summary>
    public static string? FindDefault(string directory) =>
        DefaultNames.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    /// <exception cref="StrataException">Exit code 2, naming <paramref name="source"/>, the line and the key at fault.</exception>
    public static DockerfileLintConfig Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        YamlMappingNode root;
        try
        {
            var documents = YamlSource.Parse(text, source).Documents;
            if (documents.Count == 0)
            {
                return new DockerfileLintConfig { Source = source };
            }

            root = documents[0] as YamlMappingNode ?? throw Bad(source, documents[0], "expected a mapping of settings (trustedRegistries, label-schema, strict-labels) at the top level.");
        }
        catch (StrataException e) when (e.ExitCode != ExitCode.Usage)
        {
            throw StrataException.Usage(e.Message);
        }

        var registries = new List<string>();
        var schema = new Dictionary<string, LabelType>(StringComparer.Ordinal);
        var strict = false;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            switch (key)
            {
                case "trustedRegistries":
                    registries.AddRange(Strings(value, key, source));
                    break;
                case "label-schema":
                    if (value is YamlScalarNode { Value: null or "" })
                    {
                        break;
                    }

                    if (value is not YamlMappingNode labels)
                    {
                        throw Bad(source, value, "'label-schema' must map label names to types (text, url, spdx, hash, rfc3339, semver, email).");
                    }

                    foreach (var (labelNode, typeNode) in labels.Children)
                    {
                        var label = (labelNode as YamlScalarNode)?.Value;
                        var type = (typeNode as YamlScalarNode)?.Value ?? string.Empty;
                        if (string.IsNullOrEmpty(label))
                        {
                            throw Bad(source, labelNode, "'label-schema' has an empty label name.");
                        }

                        schema[label] = LabelTypes.TryGetValue(type, out var parsed)
                            ? parsed
                            : throw Bad(source, typeNode, $"label-schema '{Redaction.Quote(label)}': unknown type '{Redaction.Quote(type)}' (text, url, spdx, hash, rfc3339, semver, email).");
                    }

                    break;
                case "strict-labels":
                    strict = (value as YamlScalarNode)?.Value?.ToLowerInvariant() switch
                    {
                        "true" => true,
                        "false" or null or "" => false,
                        _ => throw Bad(source, value, "'strict-labels' must be true or false."),
                    };
                    break;
                default:
                    if (!AcceptedHadolintKeys.Contains(key))
                    {
                        throw Bad(source, keyNode, $"unknown key '{Redaction.Quote(key)}' (trustedRegistries, label-schema, strict-labels; hadolint's other settings are accepted and ignored).");
                    }

                    break;
            }
        }

        return new DockerfileLintConfig { Source = source, TrustedRegistries = registries, LabelSchema = schema, StrictLabels = strict };
    }

    private static List<string> Strings(YamlNode node, string key, string source)
    {
        switch (node)
        {
            case YamlScalarNode { Value: null or "" }:
                return [];
            case YamlSequenceNode list:
                var values = new List<string>();
                foreach (var item in list)
                {
                    values.Add(item is YamlScalarNode { Value: { Length: > 0 } value }
                        ? value.Trim()
                        : throw Bad(source, item, $"'{key}' must hold only registry names such as docker.io or *.example.com."));
                }

                return values;
            default:
                throw Bad(source, node, $"'{key}' must be a list of registry names.");
        }
    }

    private static StrataException Bad(string source, YamlNode node, string message) =>
        StrataException.Usage($"{source}:{node.Start.Line}: {message}");
}
