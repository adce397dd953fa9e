namespace Strata.Kubernetes.Objects;

using System.Globalization;
using Strata.Core.Documents;
using YamlDotNet.RepresentationModel;

/// <summary>How an endpoint is reachable from outside the cluster.</summary>
public enum ExposureKind
{
    /// <summary>A Service of type NodePort: a port on every node.</summary>
    NodePort,

    /// <summary>A Service of type LoadBalancer: a cloud load balancer, public unless annotated internal.</summary>
    LoadBalancer,

    /// <summary>A Service with externalIPs: addresses the nodes answer on.</summary>
    ExternalIps,

    /// <summary>An Ingress: HTTP hosts and paths routed by the ingress controller.</summary>
    Ingress,
}

/// <summary>
/// A fact for the cross-layer report: a Service or Ingress that exposes pods outside the cluster, with what it exposes
/// (ports, hosts) and which pods it reaches (a Service's selector, an Ingress's backend Services).
/// </summary>
/// <param name="ObjectName">e.g. <c>Service/shop/frontend</c>.</param>
/// <param name="Ports">e.g. <c>80/TCP → 8080 (nodePort 30080)</c>.</param>
/// <param name="Hosts">Addresses or host names: an Ingress's hosts, a Service's loadBalancerIP, externalIPs, or the status' ingress.</param>
/// <param name="Selector">A Service's pod selector (<c>app=frontend</c>); an Ingress's backend Services (<c>service/frontend:80</c>).</param>
/// <param name="Internal">A LoadBalancer annotated as internal to the cloud network.</param>
/// <param name="Tls">For an Ingress: every host is covered by a tls entry.</param>
public sealed record ExposedEndpoint(
    ExposureKind Kind,
    string ObjectName,
    string? Namespace,
    IReadOnlyList<string> Ports,
    IReadOnlyList<string> Hosts,
    IReadOnlyList<string> Selector,
    bool Internal,
    bool Tls,
    string File,
    string JsonPath,
    int Line)
{
    /// <summary>Annotations of the cloud providers that make a LoadBalancer internal.</summary>
    private static readonly Dictionary<string, string> InternalAnnotations = new(StringComparer.Ordinal)
    {
        ["service.beta.kubernetes.io/aws-load-balancer-internal"] = "true",
        ["service.beta.kubernetes.io/aws-load-balancer-scheme"] = "internal",
        ["networking.gke.io/load-balancer-type"] = "Internal",
        ["cloud.google.com/load-balancer-type"] = "Internal",
        ["service.beta.kubernetes.io/azure-load-balancer-internal"] = "true",
        ["service.beta.kubernetes.io/oci-load-balancer-internal"] = "true",
    };

    /// <summary>The exposure of a Service or Ingress object; none for anything else (ClusterIP Services included).</summary>
    public static IEnumerable<ExposedEndpoint> Of(KubernetesObject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var spec = YamlSource.Child(subject.Node, "spec");
        if (subject.Kind == "Service")
        {
            var type = YamlSource.Scalar(spec, "type");
            var externalIps = KubernetesObject.Strings(spec, "externalIPs").ToList();
            ExposureKind? kind = type switch
            {
                "LoadBalancer" => ExposureKind.LoadBalancer,
                "NodePort" => ExposureKind.NodePort,
                _ when externalIps.Count > 0 => ExposureKind.ExternalIps,
                _ => null,
            };
            if (kind is null)
            {
                yield break;
            }

            var hosts = new List<string>(externalIps);
            if (YamlSource.Scalar(spec, "loadBalancerIP") is { Length: > 0 } ip)
            {
                hosts.Add(ip);
            }

            if (YamlSource.Child(YamlSource.Child(YamlSource.Child(subject.Node, "status"), "loadBalancer"), "ingress") is YamlSequenceNode status)
            {
                hosts.AddRange(status.Select(s => YamlSource.Scalar(s, "ip") ?? YamlSource.Scalar(s, "hostname")).OfType<string>());
            }

            var selector = YamlSource.Child(spec, "selector") is YamlMappingNode map
                ? map.Children.Select(p => $"{(p.Key as YamlScalarNode)?.Value}={(p.Value as YamlScalarNode)?.Value}").ToList()
                : [];
            var annotations = YamlSource.Child(subject.Metadata, "annotations");
            var isInternal = kind == ExposureKind.LoadBalancer && InternalAnnotations.Any(a => string.Equals(YamlSource.Scalar(annotations, a.Key), a.Value, StringComparison.OrdinalIgnoreCase));
            var node = YamlSource.Child(spec, "type") ?? YamlSource.Child(spec, "externalIPs") ?? subject.Node;
            yield return new ExposedEndpoint(kind.Value, subject.ObjectName, subject.Namespace, [.. ServicePorts(spec)], hosts, selector, isInternal, false, subject.File, subject.Path + (YamlSource.Child(spec, "type") is null ? ".spec.externalIPs" : ".spec.type"), YamlSource.LineOf(node));
        }
        else if (subject.Kind == "Ingress")
        {
            var hosts = new List<string>();
            var backends = new List<string>();
            if (YamlSource.Child(spec, "rules") is YamlSequenceNode rules)
            {
                foreach (var rule in rules)
                {
                    hosts.Add(YamlSource.Scalar(rule, "host") ?? "*");
                    if (YamlSource.Child(YamlSource.Child(rule, "http"), "paths") is YamlSequenceNode paths)
                    {
                        backends.AddRange(paths.Select(p => Backend(YamlSource.Child(p, "backend"))).OfType<string>());
                    }
                }
            }

            if (Backend(YamlSource.Child(spec, "defaultBackend") ?? YamlSource.Child(spec, "backend")) is { } fallback)
            {
                backends.Add(fallback);
                if (hosts.Count == 0)
                {
                    hosts.Add("*");
                }
            }

            if (hosts.Count == 0)
            {
                yield break;
            }

            var tlsHosts = YamlSource.Child(spec, "tls") is YamlSequenceNode tls
                ? tls.SelectMany(t => KubernetesObject.Strings(t, "hosts")).ToHashSet(StringComparer.OrdinalIgnoreCase)
                : [];
            var allTls = hosts.All(h => tlsHosts.Contains(h) || (h == "*" && tlsHosts.Count > 0));
            var node = YamlSource.Child(spec, "rules") ?? spec ?? subject.Node;
            yield return new ExposedEndpoint(ExposureKind.Ingress, subject.ObjectName, subject.Namespace, allTls ? ["443/TCP"] : ["80/TCP", "443/TCP"], [.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)], [.. backends.Distinct(StringComparer.Ordinal)], false, allTls, subject.File, subject.Path + ".spec.rules", YamlSource.LineOf(node));
        }
    }

    private static IEnumerable<string> ServicePorts(YamlNode? spec)
    {
        if (YamlSource.Child(spec, "ports") is not YamlSequenceNode ports)
        {
            yield break;
        }

        foreach (var port in ports)
        {
            var text = $"{YamlSource.Scalar(port, "port")}/{YamlSource.Scalar(port, "protocol") ?? "TCP"}";
            if (YamlSource.Scalar(port, "targetPort") is { } target)
            {
                text += " → " + target;
            }

            if (YamlSource.Scalar(port, "nodePort") is { } nodePort)
            {
                text += string.Create(CultureInfo.InvariantCulture, $" (nodePort {nodePort})");
            }

            yield return text;
        }
    }

    /// <summary>An Ingress backend as <c>service/name:port</c> (networking.k8s.io/v1 or the older serviceName/servicePort).</summary>
    private static string? Backend(YamlNode? backend)
    {
        if (YamlSource.Child(backend, "service") is { } service)
        {
            var port = YamlSource.Child(service, "port");
            return $"service/{YamlSource.Scalar(service, "name")}:{YamlSource.Scalar(port, "number") ?? YamlSource.Scalar(port, "name")}";
        }

        return YamlSource.Scalar(backend, "serviceName") is { } name ? $"service/{name}:{YamlSource.Scalar(backend, "servicePort")}" : null;
    }
}
