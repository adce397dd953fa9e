namespace Strata.Kubernetes.Workloads;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;

/// <summary>A Secret consumed as environment variables (env valueFrom.secretKeyRef, envFrom.secretRef) rather than as a volume.</summary>
public sealed class SecretInEnvironment : Check<PodSpecView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-010",
        Title = "Secret consumed as environment variables",
        Severity = Severity.Low,
        Layer = StackLayer.Orchestrator,
        Explanation = "A Secret passed as environment variables is copied into every child process, printed by crash handlers and debug endpoints that dump the environment, readable in /proc/<pid>/environ by the same user, and never updated when the Secret rotates. A Secret mounted as a volume is a file with its own mode, read when needed, and refreshed by the kubelet.",
        Remediation = "Mount the Secret as a volume (`volumes: - secret: {secretName: …}` with `defaultMode: 0400`) and read the file (many images accept `*_FILE` variables such as POSTGRES_PASSWORD_FILE).",
        References =
        [
            "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod",
            "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        ],
        Equivalents = ["kubescape C-0207", "kube-linter read-secret-from-env-var", "kubesec SecretsAsEnvironmentVariables"],
        Examples =
        [
            new RuleExample("containers:\n- name: web\n  image: shop:1.0\n  env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: password", true),
            new RuleExample("containers:\n- name: web\n  image: shop:1.0\n  envFrom:\n  - secretRef:\n      name: db", true),
            new RuleExample("containers:\n- name: web\n  image: shop:1.0\n  env:\n  - name: DB_HOST\n    valueFrom:\n      configMapKeyRef:\n        name: db\n        key: host\n  volumeMounts:\n  - name: db\n    mountPath: /run/secrets/db\nvolumes:\n- name: db\n  secret:\n    secretName: db", false, "the Secret as a volume"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (container, path, name) in subject.Containers())
        {
            if (YamlSource.Child(container, "env") is YamlSequenceNode env)
            {
                var index = -1;
                foreach (var variable in env)
                {
                    index++;
                    var reference = YamlSource.Child(YamlSource.Child(variable, "valueFrom"), "secretKeyRef");
                    if (reference is not null)
                    {
                        var variableName = YamlSource.Scalar(variable, "name") ?? "?";
                        var secret = $"{YamlSource.Scalar(reference, "name")}/{YamlSource.Scalar(reference, "key")}";
                        yield return Finding.For(Rule, context.Target, subject.At(string.Create(CultureInfo.InvariantCulture, $"{path}.env[{index}].valueFrom.secretKeyRef"), reference), $"Container {name} of {subject.ObjectName} gets Secret key {secret} as environment variable {variableName}.", Evidence.Plain($"env {variableName} from secretKeyRef {secret}"));
                    }
                }
            }

            if (YamlSource.Child(container, "envFrom") is YamlSequenceNode envFrom)
            {
                var index = -1;
                foreach (var source in envFrom)
                {
                    index++;
                    if (YamlSource.Child(source, "secretRef") is { } reference)
                    {
                        var secret = YamlSource.Scalar(reference, "name") ?? "?";
                        yield return Finding.For(Rule, context.Target, subject.At(string.Create(CultureInfo.InvariantCulture, $"{path}.envFrom[{index}].secretRef"), reference), $"Container {name} of {subject.ObjectName} gets every key of Secret {secret} as environment variables.", Evidence.Plain($"envFrom secretRef {secret}"));
                    }
                }
            }
        }
    }
}
