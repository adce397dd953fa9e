namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Package managers told to install unsigned or unverified packages.</summary>
public sealed class SignatureVerificationDisabled : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-029",
        Title = "Package signature verification disabled",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "Package managers check repository signatures so that a mirror, proxy or attacker on the network cannot substitute packages. `--allow-unauthenticated`, `[trusted=yes]`, `apk --allow-untrusted`, `--nogpgcheck`, `gpgcheck=0` and `rpm --nosignature` switch that off: whatever the repository serves is installed as root.",
        Remediation = "Import the repository's signing key (`/etc/apt/keyrings/<name>.gpg` with `signed-by=`, `rpm --import`, `/etc/apk/keys/`) and keep verification on.",
        References = ["https://wiki.debian.org/DebianRepository/UseThirdParty", "https://docs.docker.com/build/building/best-practices/#apt-get"],
        Equivalents = ["Checkov CKV2_DOCKER_7", "Checkov CKV2_DOCKER_8", "Checkov CKV2_DOCKER_9", "Checkov CKV2_DOCKER_10", "Checkov CKV2_DOCKER_11"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get install -y --allow-unauthenticated tool", true),
            new RuleExample("FROM debian:12\nRUN echo 'deb [trusted=yes] http://repo.example.com stable main' > /etc/apt/sources.list.d/x.list", true),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted /tmp/tool.apk", true),
            new RuleExample("FROM fedora:40\nRUN dnf install -y --nogpgcheck tool", true),
            new RuleExample("FROM debian:12\nRUN echo 'deb [signed-by=/etc/apt/keyrings/x.gpg] https://repo.example.com stable main' > /etc/apt/sources.list.d/x.list", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
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

    private static string? Command(ShellCommand command)
    {
        var arguments = command.Arguments;
        if (arguments.Any(a => a.Contains("trusted=yes", StringComparison.Ordinal)))
        {
            return "An apt source marked [trusted=yes] is used without signature checks.";
        }

        if (arguments.Any(a => a.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("gpgcheck=0", StringComparison.Ordinal)))
        {
            return "gpgcheck=0 installs packages without signature checks.";
        }

        return command.Program switch
        {
            "apt-get" or "apt" or "aptitude" when command.HasOption("allow-unauthenticated") || command.HasOption("allow-insecure-repositories") || command.HasOption("force-yes")
                || arguments.Any(a => a.Contains("AllowUnauthenticated=true", StringComparison.OrdinalIgnoreCase) || a.Contains("AllowInsecureRepositories=true", StringComparison.OrdinalIgnoreCase)) =>
                $"{command.Program} is allowed to install unauthenticated packages.",
            "apk" when command.HasOption("allow-untrusted") => "apk --allow-untrusted installs unsigned packages.",
            "yum" or "dnf" or "microdnf" or "tdnf" or "zypper" when command.HasOption("nogpgcheck") || command.HasOption("no-gpg-checks") => $"{command.Program} installs packages without signature checks.",
            "rpm" when command.HasOption("nosignature") || command.HasOption("nodigest") || command.HasOption("noverify") || command.HasOption("nofiledigest") => "rpm installs packages without checking signatures or digests.",
            _ => null,
        };
    }
}
