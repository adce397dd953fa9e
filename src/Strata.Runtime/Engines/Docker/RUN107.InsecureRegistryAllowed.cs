namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class InsecureRegistryAllowed : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-107",
        Title = "Docker pulls from registries without TLS verification",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "Each entry of \"insecure-registries\" is reached over plain HTTP or with any certificate: anyone on the network path can serve other images under the same names.",
        Remediation = "Remove the entries; give the registry a certificate (a private CA goes to /etc/docker/certs.d/HOST:PORT/ca.crt).",
        References = ["https://docs.docker.com/reference/cli/dockerd/#insecure-registries"],
        Equivalents = ["docker-bench-security 2.5"],
        Examples =
        [
            new RuleExample("""{"insecure-registries": ["registry.internal:5000"]}""", true),
            new RuleExample("""{"insecure-registries": []}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var registry in subject.Strings("insecure-registries") ?? [])
        {
            var name = (string)registry.Value;
            yield return Finding.For(Rule, context.Target, subject.At(registry, name), $"{name} is an insecure registry.", Evidence.Plain(name));
        }
    }
}
