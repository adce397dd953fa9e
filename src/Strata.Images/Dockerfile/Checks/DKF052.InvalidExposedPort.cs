namespace Strata.Images.Dockerfile.Checks;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>EXPOSE of a port outside 0–65535, a reversed range, or a protocol other than tcp, udp and sctp.</summary>
public sealed class InvalidExposedPort : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-052",
        Title = "EXPOSE with an invalid port or protocol",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "TCP, UDP and SCTP ports are 16-bit numbers (0 to 65535), and EXPOSE knows only the protocols tcp, udp and sctp. A port out of range, a range whose end is below its start or another protocol makes the build fail (BuildKit: \"invalid containerPort\"), or, with older builders, records metadata that no runtime can honour.",
        Remediation = "Write the port the service listens on, `EXPOSE 8080` or `EXPOSE 8080/udp`, a range as `EXPOSE 7000-7010/tcp`.",
        References = ["https://docs.docker.com/reference/dockerfile/#expose"],
        Equivalents = ["Hadolint DL3011", "Trivy DS-0008"],
        Examples =
        [
            new RuleExample("FROM debian:12\nEXPOSE 80800", true),
            new RuleExample("FROM debian:12\nEXPOSE 60000-70000/tcp", true, "the range ends above 65535"),
            new RuleExample("FROM debian:12\nEXPOSE 8080/http", true, "not a transport protocol"),
            new RuleExample("FROM debian:12\nEXPOSE 9000-8000", true, "the range is reversed"),
            new RuleExample("FROM debian:12\nEXPOSE 80 443/tcp 53/udp 7000-7010 65535", false),
            new RuleExample("FROM debian:12\nARG PORT\nEXPOSE $PORT ${PORT}/udp", false, "unknown until build time"),
            new RuleExample("FROM debian:12\nENV PORT=99999\nEXPOSE $PORT", true, "resolved through ENV"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var expose in stage.Instructions.Where(i => i.Keyword == "EXPOSE" && i.Words is not null))
            {
                var raw = expose.Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                for (var i = 0; i < expose.Words!.Count; i++)
                {
                    // A word built from a variable whose value is unknown is judged at build time, not here.
                    if (expose.Unresolved && i < raw.Length && raw[i].Contains('$', StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var problem = Problem(expose.Words[i]);
                    if (problem is not null)
                    {
                        yield return DockerfileFindings.At(Rule, subject, context.Target, stage, expose, $"EXPOSE {expose.Words[i]}: {problem}.");
                    }
                }
            }
        }
    }

    private static string? Problem(string spec)
    {
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        var ports = slash < 0 ? spec : spec[..slash];
        if (slash >= 0 && spec[(slash + 1)..] is not ("tcp" or "udp" or "sctp"))
        {
            return $"'{spec[(slash + 1)..]}' is not a protocol EXPOSE knows (tcp, udp, sctp)";
        }

        var dash = ports.IndexOf('-', StringComparison.Ordinal);
        var low = dash < 0 ? ports : ports[..dash];
        var high = dash < 0 ? ports : ports[(dash + 1)..];
        if (!long.TryParse(low, NumberStyles.None, CultureInfo.InvariantCulture, out var first) || !long.TryParse(high, NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            return $"'{ports}' is not a port number or range";
        }

        if (first > 65535 || last > 65535)
        {
            return "ports range from 0 to 65535";
        }

        return first > last ? "the range ends before it starts" : null;
    }
}
