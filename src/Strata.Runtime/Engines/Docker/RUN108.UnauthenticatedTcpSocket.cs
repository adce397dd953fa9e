namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class UnauthenticatedTcpSocket : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-108",
        Title = "Docker API listens on TCP without client certificates",
        Severity = Severity.Critical,
        Layer = StackLayer.Runtime,
        Explanation = "A \"hosts\" entry tcp://… without \"tlsverify\": true serves the Docker API to anyone who can reach the port; the API starts privileged containers with the host's / mounted, so this is remote root on the host.",
        Remediation = "Listen on the Unix socket only, or set \"tlsverify\": true with \"tlscacert\", \"tlscert\" and \"tlskey\" so only clients with a certificate from your CA connect; or reach a remote daemon over ssh://.",
        References = ["https://docs.docker.com/engine/security/protect-access/"],
        Equivalents = ["docker-bench-security 2.7"],
        Examples =
        [
            new RuleExample("""{"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"]}""", true),
            new RuleExample("""{"hosts": ["tcp://0.0.0.0:2376"], "tls": true}""", true, "tls without tlsverify encrypts but accepts any client"),
            new RuleExample("""{"hosts": ["tcp://0.0.0.0:2376"], "tlsverify": true, "tlscacert": "/etc/docker/ca.pem", "tlscert": "/etc/docker/cert.pem", "tlskey": "/etc/docker/key.pem"}""", false),
            new RuleExample("""{"hosts": ["unix:///var/run/docker.sock"]}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Bool("tlsverify") == true)
        {
            yield break;
        }

        foreach (var host in subject.Strings("hosts") ?? [])
        {
            var address = (string)host.Value;
            if (address.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
            {
                yield return Finding.For(Rule, context.Target, subject.At(host, address), $"The API listens on {address} without tlsverify: any client that reaches it controls the host.", Evidence.Plain(address));
            }
        }
    }
}
