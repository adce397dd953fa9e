namespace Strata.Kubernetes.Hygiene;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kubernetes.Objects;
using Strata.Secrets;
using YamlDotNet.RepresentationModel;

/// <summary>
/// A secret-named value written in plain text where Kubernetes does not treat it as a secret: a container's env
/// <c>value</c>, a ConfigMap's data (a key, or a <c>name=value</c> line of a file it holds), an annotation. Only what
/// the <c>SEC-</c> rules over the manifest's text cannot see: the name and the value sit in different YAML nodes
/// (<c>- name: DB_PASSWORD</c> / <c>value: …</c>), or the value has no recognisable format. A value that a secret rule
/// recognises on its own is left to that rule.
/// </summary>
/// <param name="secrets">The run's secret scanner: its allow-list, and what its rules already report.</param>
public sealed class SecretValueInPlainText(SecretScannerProvider secrets) : Check<KubernetesObject>
{
    /// <summary>Annotations that copy the object (kubectl's last applied configuration): its values are reported where they stand.</summary>
    private static readonly HashSet<string> CopyAnnotations = new(StringComparer.Ordinal) { "kubectl.kubernetes.io/last-applied-configuration" };

    private const int MaxValueChars = 64 * 1024;

    private readonly SecretScannerProvider secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));

    public override Rule Rule { get; } = new()
    {
        Id = "K8S-011",
        Title = "Secret-named value in plain text (env, ConfigMap, annotation)",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "A container env entry, a ConfigMap key (or a `password=…` line of a file a ConfigMap holds) or an annotation whose name says it holds a secret (PASSWORD, TOKEN, SECRET, API_KEY …) and whose value is written in the manifest: it is in every copy of the repository, readable by anyone who can read ConfigMaps or the workload (`kubectl get -o yaml`, which RBAC grants far more widely than Secrets), and it is never rotated with the Secret it should be. Values that a SEC- rule recognises by their format are reported by that rule, not again here; references (`$(VAR)`, `/run/secrets/…`, templates) are not values.",
        Remediation = "Move the value into a Secret (or an external secret store through the Secrets Store CSI driver or External Secrets) and mount it as a file; rotate it, since it has been published with the manifest.",
        References =
        [
            "https://kubernetes.io/docs/concepts/configuration/secret/",
            "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        ],
        Equivalents = ["kubescape C-0012", "Polaris sensitiveContainerEnvVar", "Polaris sensitiveConfigmapContent", "kube-linter env-var-secret"],
        Examples =
        [
            new RuleExample("containers:\n- name: web\n  image: shop:1.0\n  env:\n  - name: DB_PASSWORD\n    value: quokkapie77", true, "name and value in different YAML nodes"),
            new RuleExample("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  API_TOKEN: c7f2e9a1b3d4\n  application.properties: |\n    spring.datasource.password=quokkapie77", true),
            new RuleExample("containers:\n- name: web\n  image: shop:1.0\n  env:\n  - name: DB_PASSWORD_FILE\n    value: /run/secrets/db\n  - name: DB_PASSWORD\n    value: $(DB_SECRET)", false, "a path and a reference"),
            new RuleExample("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  LOG_LEVEL: debug\n  TOKEN_TTL: 3600", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(KubernetesObject subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var finding in Annotations(subject, context))
        {
            yield return finding;
        }

        if (subject.Kind == "ConfigMap" && YamlSource.Child(subject.Node, "data") is YamlMappingNode data)
        {
            foreach (var (keyNode, valueNode) in data.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key } || valueNode is not YamlScalarNode { Value: { Length: > 0 and <= MaxValueChars } value })
                {
                    continue;
                }

                var at = subject.At(".data" + KubernetesObject.Member(key), valueNode);
                if (IsSecret(key, value))
                {
                    yield return Report(context, at, $"ConfigMap key {key} of {subject.ObjectName} holds a secret-named value in plain text.", value);
                }
                else if (value.Contains('\n', StringComparison.Ordinal) && EmbeddedAssignment(value) is { } line)
                {
                    yield return Report(context, at, $"The file {key} of {subject.ObjectName} sets {line.Name} in plain text.", line.Value);
                }
            }
        }

        foreach (var pod in subject.PodSpecs())
        {
            foreach (var (container, path, name) in pod.Containers())
            {
                if (YamlSource.Child(container, "env") is not YamlSequenceNode env)
                {
                    continue;
                }

                var index = -1;
                foreach (var variable in env)
                {
                    index++;
                    if (YamlSource.Scalar(variable, "name") is { } variableName && YamlSource.Child(variable, "value") is YamlScalarNode { Value: { } value } valueNode && IsSecret(variableName, value))
                    {
                        var at = subject.At(string.Create(CultureInfo.InvariantCulture, $"{path[1..]}.env[{index}].value"), valueNode);
                        yield return Report(context, at, $"Container {name} of {subject.ObjectName} sets {variableName} in plain text.", value);
                    }
                }
            }
        }
    }

    private IEnumerable<Finding> Annotations(KubernetesObject subject, CheckContext context)
    {
        if (YamlSource.Child(subject.Metadata, "annotations") is not YamlMappingNode annotations)
        {
            yield break;
        }

        foreach (var (keyNode, valueNode) in annotations.Children)
        {
            if (keyNode is YamlScalarNode { Value: { } key } && !CopyAnnotations.Contains(key) && valueNode is YamlScalarNode { Value: { Length: <= MaxValueChars } value }
                && IsSecret(key[(key.LastIndexOf('/') + 1)..], value))
            {
                yield return Report(context, subject.At(".metadata.annotations" + KubernetesObject.Member(key), valueNode), $"Annotation {key} of {subject.ObjectName} holds a secret-named value in plain text.", value);
            }
        }
    }

    private Finding Report(CheckContext context, Core.Findings.Location at, string message, string value) =>
        Finding.For(Rule, context.Target, at, message, Evidence.Secret(value));

    private bool IsSecret(string name, string value)
    {
        var trimmed = value.Trim().Trim('"', '\'');
        return SecretText.IsSecretName(name) && SecretText.IsPlausibleSecretValue(trimmed) && !IsReference(trimmed)
            && !secrets.Scanner.IsValueAllowed(trimmed) && secrets.Scanner.ScanText(trimmed, "value").Count == 0;
    }

    /// <summary>Not a value: a path, a variable or template reference.</summary>
    private static bool IsReference(string value) =>
        value.StartsWith('/') || value.StartsWith('$') || value.Contains("{{", StringComparison.Ordinal) || value.Contains("${", StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal);

    /// <summary>The first <c>name=value</c> or <c>name: value</c> line of an embedded file whose name says it holds a secret.</summary>
    private (string Name, string Value)? EmbeddedAssignment(string file)
    {
        foreach (var raw in file.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' or '!')
            {
                continue;
            }

            var at = line.IndexOfAny(['=', ':']);
            if (at <= 0)
            {
                continue;
            }

            var name = line[..at].Trim();
            var value = line[(at + 1)..].Trim();
            if (!name.Contains(' ', StringComparison.Ordinal) && IsSecret(name, value))
            {
                return (name, value);
            }
        }

        return null;
    }
}
