namespace Strata.Kubernetes;

using Strata.Core.Documents;
using Strata.Core.Findings;
using YamlDotNet.RepresentationModel;

/// <summary>
/// The pod spec inside any workload object (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
/// CronJob, ReplicationController, PodTemplate), with the JSON path at which it sits.
/// </summary>
public sealed class PodSpecView
{
    private static readonly Dictionary<string, string[]> SpecPaths = new(StringComparer.Ordinal)
    {
        ["Pod"] = ["spec"],
        ["PodTemplate"] = ["template", "spec"],
        ["Deployment"] = ["spec", "template", "spec"],
        ["StatefulSet"] = ["spec", "template", "spec"],
        ["DaemonSet"] = ["spec", "template", "spec"],
        ["ReplicaSet"] = ["spec", "template", "spec"],
        ["ReplicationController"] = ["spec", "template", "spec"],
        ["Job"] = ["spec", "template", "spec"],
        ["CronJob"] = ["spec", "jobTemplate", "spec", "template", "spec"],
    };

    private PodSpecView(string file, string objectName, YamlMappingNode spec, string specPath, YamlNode? podMetadata, string? objectNamespace = null)
    {
        File = file;
        Namespace = objectNamespace;
        ObjectName = objectName;
        Spec = spec;
        SpecPath = specPath;
        PodMetadata = podMetadata;
    }

    public string File { get; }

    /// <summary>e.g. <c>Deployment/shop/web</c>.</summary>
    public string ObjectName { get; }

    public YamlMappingNode Spec { get; }

    /// <summary>e.g. <c>$.spec.template.spec</c>.</summary>
    public string SpecPath { get; }

    /// <summary>The pod template's metadata (the Pod's own for a Pod): its annotations are what Pod Security Admission reads.</summary>
    public YamlNode? PodMetadata { get; }

    /// <summary>The object's metadata.namespace, or null when the manifest names none.</summary>
    public string? Namespace { get; }

    /// <summary>spec.os.name is windows: Linux-only checks do not apply (Pod Security Standards 1.25+).</summary>
    public bool IsWindows => string.Equals(YamlSource.Scalar(YamlSource.Child(Spec, "os"), "name"), "windows", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every container of the pod (init, regular, ephemeral) with its JSON path.</summary>
    public IEnumerable<(YamlMappingNode Container, string Path, string Name)> Containers()
    {
        foreach (var field in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            if (YamlSource.Child(Spec, field) is YamlSequenceNode list)
            {
                var index = 0;
                foreach (var item in list)
                {
                    if (item is YamlMappingNode container)
                    {
                        yield return (container, $"{SpecPath}.{field}[{index}]", YamlSource.Scalar(container, "name") ?? $"#{index}");
                    }

                    index++;
                }
            }
        }
    }

    /// <summary>A location at <paramref name="path"/>, with the line of <paramref name="node"/>.</summary>
    public Location At(string path, YamlNode? node) => new() { File = File, JsonPath = path, Line = node is null ? null : YamlSource.LineOf(node), Subject = ObjectName };

    /// <summary>Finds the pod specs in every document of a YAML source (List objects included).</summary>
    public static IEnumerable<PodSpecView> FindAll(YamlSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        foreach (var document in source.Documents)
        {
            foreach (var view in FromObject(source.File, document))
            {
                yield return view;
            }
        }
    }

    /// <summary>The kind of a typed list's items (<c>PodList</c>: <c>Pod</c>); null for a v1 <c>List</c>, whose items name their own.</summary>
    private static string? ItemKind(string? listKind) =>
        listKind is { Length: > 4 } && listKind.EndsWith("List", StringComparison.Ordinal) ? listKind[..^4] : null;

    /// <summary>A List object (v1 List, PodList, …): its <c>items</c> are objects of their own.</summary>
    public static bool IsList(YamlNode node) =>
        YamlSource.Scalar(node, "kind") is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && YamlSource.Child(node, "items") is YamlSequenceNode;

    /// <summary>The pod specs of one object: a workload's one, or those of a List's items; <paramref name="file"/> is what findings name.</summary>
    public static IEnumerable<PodSpecView> FromObject(string file, YamlNode node) => FromObject(file, node, null);

    /// <summary>
    /// As <see cref="FromObject(string, YamlNode)"/>, for an item of a list whose kind is <paramref name="listKind"/>: an
    /// item of a typed list (<c>PodList</c>, as an API server returns it) has no kind of its own and is of the list's.
    /// </summary>
    public static IEnumerable<PodSpecView> FromObject(string file, YamlNode node, string? listKind)
    {
        var kind = YamlSource.Scalar(node, "kind") ?? ItemKind(listKind);
        if (kind is null)
        {
            yield break;
        }

        if (IsList(node) && YamlSource.Child(node, "items") is YamlSequenceNode items)
        {
            foreach (var item in items)
            {
                foreach (var view in FromObject(file, item, kind))
                {
                    yield return view;
                }
            }

            yield break;
        }

        if (!SpecPaths.TryGetValue(kind, out var path))
        {
            yield break;
        }

        YamlNode? current = node;
        YamlNode? metadata = null;
        foreach (var step in path)
        {
            if (step == "spec" && current != node)
            {
                metadata = YamlSource.Child(current, "metadata");
            }

            current = YamlSource.Child(current, step);
        }

        if (current is YamlMappingNode spec)
        {
            var meta = YamlSource.Child(node, "metadata");
            var ns = YamlSource.Scalar(meta, "namespace");
            var name = YamlSource.Scalar(meta, "name") ?? "(unnamed)";
            var objectName = ns is null ? $"{kind}/{name}" : $"{kind}/{ns}/{name}";
            yield return new PodSpecView(file, objectName, spec, "$." + string.Join('.', path), kind == "Pod" ? meta : metadata, ns);
        }
    }
}
