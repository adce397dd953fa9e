namespace Strata.Kubernetes.Objects;

using System.Globalization;
using Strata.Core.Documents;
using Strata.Core.Findings;
using YamlDotNet.RepresentationModel;

/// <summary>
/// One Kubernetes object of a manifest or of a cluster's listing (a document, or an item of a List), as the object
/// checks read it: its kind, namespace and name, and the JSON path at which it sits (<c>$</c>, or <c>$.items[3]</c>).
/// </summary>
public sealed class KubernetesObject
{
    private KubernetesObject(string file, YamlMappingNode node, string kind, string path)
    {
        File = file;
        Node = node;
        Kind = kind;
        Path = path;
        var metadata = YamlSource.Child(node, "metadata");
        Namespace = YamlSource.Scalar(metadata, "namespace");
        Name = YamlSource.Scalar(metadata, "name") ?? YamlSource.Scalar(metadata, "generateName") ?? "(unnamed)";
        ObjectName = Namespace is null ? $"{kind}/{Name}" : $"{kind}/{Namespace}/{Name}";
    }

    /// <summary>What findings name as the file (a path, or <c>cluster:&lt;context&gt;</c>).</summary>
    public string File { get; }

    public YamlMappingNode Node { get; }

    public string Kind { get; }

    /// <summary>metadata.namespace, or null when the manifest leaves it to the apply (<c>kubectl -n</c>).</summary>
    public string? Namespace { get; }

    public string Name { get; }

    /// <summary>e.g. <c>ClusterRole/admin-all</c> or <c>RoleBinding/shop/ci</c>.</summary>
    public string ObjectName { get; }

    /// <summary>The object's own JSON path: <c>$</c> for a document, <c>$.items[3]</c> for a List's item.</summary>
    public string Path { get; }

    public YamlNode? Metadata => YamlSource.Child(Node, "metadata");

    /// <summary>The object as a Kubernetes object: a mapping with a kind; null for anything else.</summary>
    public static KubernetesObject? From(string file, YamlNode node, string path = "$") =>
        node is YamlMappingNode map && YamlSource.Scalar(map, "kind") is { Length: > 0 } kind ? new KubernetesObject(file, map, kind, path) : null;

    /// <summary>The JSON path of a List's item.</summary>
    public static string ItemPath(int index) => string.Create(CultureInfo.InvariantCulture, $"$.items[{index}]");

    /// <summary>A location at <paramref name="relative"/> (e.g. <c>.rules[0].verbs</c>) inside this object, with the line of <paramref name="node"/>.</summary>
    public Location At(string relative, YamlNode? node) =>
        new() { File = File, JsonPath = Path + relative, Line = YamlSource.LineOf(node ?? Node), Subject = ObjectName };

    /// <summary>The pod specs of this object (a workload's one), with JSON paths under this object's path.</summary>
    public IEnumerable<PodSpecView> PodSpecs() => PodSpecView.FromObject(File, Node);

    /// <summary>The strings of a sequence child (verbs, resources …); a lone scalar counts as one.</summary>
    public static IEnumerable<string> Strings(YamlNode? node, string key) => YamlSource.Child(node, key) switch
    {
        YamlSequenceNode list => list.OfType<YamlScalarNode>().Select(s => s.Value).OfType<string>(),
        YamlScalarNode { Value: { } value } => [value],
        _ => [],
    };

    /// <summary>A member of a JSON path: <c>.name</c>, or <c>['app.kubernetes.io/name']</c> for keys that are not identifiers.</summary>
    public static string Member(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "." + key : "['" + key.Replace("'", "\\'", StringComparison.Ordinal) + "']";
}
