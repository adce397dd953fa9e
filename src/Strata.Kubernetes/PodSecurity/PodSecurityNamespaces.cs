namespace Strata.Kubernetes.PodSecurity;

using Strata.Core;
using Strata.Core.Documents;
using YamlDotNet.RepresentationModel;

/// <summary>The Pod Security Admission policy of a namespace: its enforce, audit and warn levels and versions.</summary>
public sealed record PodSecurityNamespacePolicy(PodSecurityPolicy Enforce, PodSecurityPolicy Audit, PodSecurityPolicy Warn, IReadOnlyList<string> Errors)
{
    public const string LabelPrefix = "pod-security.kubernetes.io/";

    /// <summary>
    /// PSA's PolicyToEvaluate: each label over the defaults; an unknown enforce level is restricted, an unknown audit
    /// or warn level privileged (fail open), an unknown version latest; warn defaults to a stricter enforce level.
    /// </summary>
    public static PodSecurityNamespacePolicy FromLabels(IReadOnlyDictionary<string, string> labels, PodSecurityPolicy defaultEnforce)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var errors = new List<string>();
        var privileged = new PodSecurityPolicy(PodSecurityLevel.Privileged, PodSecurityVersion.Latest);
        var enforce = defaultEnforce;
        var audit = privileged;
        var warn = privileged;
        var hasEnforceLevel = false;
        if (labels.TryGetValue(LabelPrefix + "enforce", out var text))
        {
            hasEnforceLevel = PodSecurityPolicy.TryParseLevel(text, out var level);
            enforce = enforce with { Level = level };
            Error(hasEnforceLevel, "enforce", text);
        }

        if (labels.TryGetValue(LabelPrefix + "enforce-version", out text))
        {
            Error(PodSecurityVersion.TryParse(text, out var version), "enforce-version", text);
            enforce = enforce with { Version = version };
        }

        if (labels.TryGetValue(LabelPrefix + "audit", out text))
        {
            var valid = PodSecurityPolicy.TryParseLevel(text, out var level);
            audit = audit with { Level = valid ? level : PodSecurityLevel.Privileged };
            Error(valid, "audit", text);
        }

        if (labels.TryGetValue(LabelPrefix + "audit-version", out text))
        {
            Error(PodSecurityVersion.TryParse(text, out var version), "audit-version", text);
            audit = audit with { Version = version };
        }

        var hasWarnLevel = labels.TryGetValue(LabelPrefix + "warn", out text);
        if (hasWarnLevel)
        {
            var valid = PodSecurityPolicy.TryParseLevel(text, out var level);
            warn = warn with { Level = valid ? level : PodSecurityLevel.Privileged };
            Error(valid, "warn", text);
        }

        var hasWarnVersion = labels.TryGetValue(LabelPrefix + "warn-version", out text);
        if (hasWarnVersion)
        {
            Error(PodSecurityVersion.TryParse(text, out var version), "warn-version", text);
            warn = warn with { Version = version };
        }

        if (!hasWarnLevel && hasEnforceLevel && enforce.Level > warn.Level)
        {
            warn = hasWarnVersion ? warn with { Level = enforce.Level } : enforce;
        }

        return new(enforce, audit, warn, errors);

        void Error(bool valid, string label, string? value)
        {
            if (!valid)
            {
                errors.Add($"{LabelPrefix}{label}: '{value}' is not {(label.EndsWith("-version", StringComparison.Ordinal) ? "latest or v1.N" : "privileged, baseline or restricted")}");
            }
        }
    }
}

/// <summary>
/// The Pod Security labels of the Namespace objects of one input, collected in a first pass so a Namespace may follow
/// its pods; only namespace → labels is kept, so memory stays flat in the number of documents.
/// </summary>
public sealed class PodSecurityNamespaces
{
    private readonly Dictionary<string, PodSecurityNamespacePolicy> policies = new(StringComparer.Ordinal);

    private PodSecurityNamespaces(PodSecurityPolicy defaultEnforce) => Default = new(defaultEnforce, PodSecurityPolicy.Of(PodSecurityLevel.Privileged, PodSecurityVersion.Latest), PodSecurityPolicy.Of(PodSecurityLevel.Privileged, PodSecurityVersion.Latest), []);

    /// <summary>The policy of pods whose namespace the input does not label.</summary>
    public PodSecurityNamespacePolicy Default { get; }

    public int Count => policies.Count;

    /// <summary>What was wrong with the labels read (an unknown level or version), each naming its namespace.</summary>
    public IEnumerable<string> Errors => policies.SelectMany(p => p.Value.Errors.Select(e => $"namespace {p.Key}: {e}"));

    /// <summary>The policy of <paramref name="namespace"/>: its labels over the default, or the default.</summary>
    public PodSecurityNamespacePolicy For(string? @namespace) =>
        @namespace is not null && policies.TryGetValue(@namespace, out var policy) ? policy : Default;

    /// <summary>
    /// Reads the Namespace objects of a manifest text (List items included). A text that names no Pod Security label
    /// is not parsed at all: the common case costs one search of the text.
    /// </summary>
    public static PodSecurityNamespaces Collect(string text, string file, Limits limits, PodSecurityPolicy defaultEnforce)
    {
        ArgumentNullException.ThrowIfNull(text);
        var namespaces = new PodSecurityNamespaces(defaultEnforce);
        if (!text.Contains(PodSecurityNamespacePolicy.LabelPrefix, StringComparison.Ordinal))
        {
            return namespaces;
        }

        YamlSource.Read(text, file, limits, "items", unit => namespaces.Add(unit.Node));
        return namespaces;
    }

    /// <summary>Takes the labels of one object if it is a Namespace.</summary>
    public void Add(YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (PodFields.Text(node, "kind") != "Namespace")
        {
            return;
        }

        var metadata = PodFields.Get(node, "metadata");
        if (PodFields.Text(metadata, "name") is not { } name || PodFields.Get(metadata, "labels") is not YamlMappingNode labels)
        {
            return;
        }

        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in labels.Children)
        {
            if (pair.Key is YamlScalarNode { Value: { } key } && key.StartsWith(PodSecurityNamespacePolicy.LabelPrefix, StringComparison.Ordinal))
            {
                found[key] = (pair.Value as YamlScalarNode)?.Value ?? string.Empty;
            }
        }

        if (found.Count > 0)
        {
            policies[name] = PodSecurityNamespacePolicy.FromLabels(found, Default.Enforce);
        }
    }
}
