namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Downloads or package tools told to skip TLS certificate verification.</summary>
public sealed class TlsVerificationDisabled : Check<DockerfileDocument>
{
    /// <summary>Environment switches that turn verification off, and the values that do it (null: any non-empty value).</summary>
    private static readonly Dictionary<string, string[]?> Switches = new(StringComparer.Ordinal)
    {
        ["NODE_TLS_REJECT_UNAUTHORIZED"] = ["0"],
        ["PYTHONHTTPSVERIFY"] = ["0"],
        ["GIT_SSL_NO_VERIFY"] = null,
        ["NPM_CONFIG_STRICT_SSL"] = ["false", "0"],
        ["npm_config_strict_ssl"] = ["false", "0"],
        ["PIP_TRUSTED_HOST"] = null,
        ["CURL_CA_BUNDLE"] = [""],
        ["REQUESTS_CA_BUNDLE"] = [""],
    };

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-028",
        Title = "TLS certificate verification disabled",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "`curl -k`, `wget --no-check-certificate`, `pip --trusted-host`, `git -c http.sslVerify=false`, `npm config set strict-ssl false` and variables such as NODE_TLS_REJECT_UNAUTHORIZED=0 accept any certificate, so anyone on the network path (a proxy, a hostile Wi-Fi, a compromised CI network) can replace what the build downloads. Set in ENV, the switch also stays on for the application at run time.",
        Remediation = "Keep verification on. If a private CA signs the server, add its certificate to the trust store (`COPY corp-ca.crt /usr/local/share/ca-certificates/ && update-ca-certificates`) or point the tool at it (`--cacert`, `PIP_CERT`, `NODE_EXTRA_CA_CERTS`).",
        References = ["https://curl.se/docs/sslcerts.html", "https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue"],
        Equivalents = ["Checkov CKV2_DOCKER_2", "Checkov CKV2_DOCKER_3", "Checkov CKV2_DOCKER_4", "Checkov CKV2_DOCKER_5", "Checkov CKV2_DOCKER_6", "Checkov CKV2_DOCKER_12", "Checkov CKV2_DOCKER_13", "Checkov CKV2_DOCKER_14", "Checkov CKV2_DOCKER_15", "Checkov CKV2_DOCKER_16"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN curl -fsSLk https://example.com/tool -o /usr/local/bin/tool", true),
            new RuleExample("FROM debian:12\nRUN wget --no-check-certificate https://example.com/a.tgz", true),
            new RuleExample("FROM python:3.12-slim\nRUN pip install --no-cache-dir --trusted-host pypi.example.com flask", true),
            new RuleExample("FROM node:22-slim\nENV NODE_TLS_REJECT_UNAUTHORIZED=0", true),
            new RuleExample("FROM debian:12\nRUN git -c http.sslVerify=false clone https://example.com/r.git", true),
            new RuleExample("FROM debian:12\nRUN curl -fsSL --cacert /etc/ssl/corp.pem https://example.com/tool -o /tool", false),
            new RuleExample("FROM debian:12\nRUN curl -fsSL -o /tmp/k https://example.com/k", false, "-o takes a value: the k is a file name"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var instruction in DockerfileFindings.WithTriggers(stage).Where(i => i.Keyword is "ENV" or "ARG"))
            {
                if (instruction.Pairs.Select(EnvironmentSwitch).FirstOrDefault(p => p is not null) is { } problem)
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, problem);
                }
            }
        }

        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            foreach (var command in script.Commands)
            {
                if (Command(command) is { } problem)
                {
                    yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, command, problem);
                }
            }
        }
    }

    private static string? EnvironmentSwitch(DockerfileKeyValue pair)
    {
        if (!Switches.TryGetValue(pair.Key, out var values) || pair.Value is null)
        {
            return null;
        }

        var on = values is null ? pair.Value.Length > 0 : values.Contains(pair.Value.Trim(), StringComparer.OrdinalIgnoreCase);
        return on ? $"{pair.Key}={pair.Value} turns TLS certificate verification off." : null;
    }

    private static string? Command(ShellCommand command)
    {
        var arguments = command.Arguments;
        switch (command.Program)
        {
            case "curl" when command.HasOption("insecure", 'k', "oHdeuXAbcTFmwxrCEKQtUyYzP"):
                return "curl -k/--insecure accepts any certificate.";
            case "wget" when command.HasOption("no-check-certificate"):
                return "wget --no-check-certificate accepts any certificate.";
            case "apk" when command.HasOption("no-check-certificate"):
                return "apk --no-check-certificate accepts any certificate.";
            case "git" when arguments.Any(a => a.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("sslVerify=false", StringComparison.OrdinalIgnoreCase))
                || (arguments.Contains("config") && arguments.Any(a => a.Equals("http.sslVerify", StringComparison.OrdinalIgnoreCase)) && arguments.Any(a => a is "false" or "0")):
                return "git http.sslVerify=false accepts any certificate.";
            case "npm" or "yarn" or "pnpm" when arguments.Contains("strict-ssl") && arguments.Any(a => a is "false" or "0"):
                return $"{command.Program} strict-ssl false accepts any certificate.";
            case "yum" or "dnf" or "microdnf" when arguments.Any(a => a.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("sslverify=false", StringComparison.OrdinalIgnoreCase) || a.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("sslverify=0", StringComparison.OrdinalIgnoreCase)):
                return $"{command.Program} sslverify=false accepts any certificate.";
            default:
                if (arguments.Any(a => a.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("sslverify=false", StringComparison.OrdinalIgnoreCase)) && command.Program is "echo" or "printf" or "sed" or "tee")
                {
                    return "sslverify=false written to a repository configuration accepts any certificate.";
                }

                if ((command.Program.StartsWith("pip", StringComparison.Ordinal) || command.Program.StartsWith("python", StringComparison.Ordinal)) && command.HasOption("trusted-host"))
                {
                    return "pip --trusted-host turns certificate verification off for that host.";
                }

                return null;
        }
    }
}
