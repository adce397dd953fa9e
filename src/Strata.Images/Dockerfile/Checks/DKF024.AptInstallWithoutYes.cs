namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apt-get install without -y.</summary>
public sealed class AptInstallWithoutYes : PackageConfirmationCheck
{
    private static readonly string[] Simulate = ["s", "simulate", "just-print", "dry-run", "recon", "no-act"];

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-024",
        Title = "apt-get install without -y",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Without -y, apt-get asks for confirmation whenever it installs more than the named packages; with no terminal the answer is 'no' and the build fails, or, worse, a later change of dependencies breaks a build that used to pass. Quiet level 2 (`-qq`, `-q -q`, `--quiet --quiet`, `-q=2`) implies -y; `-s`/`--simulate`/`--dry-run` installs nothing and asks nothing. `apt` and `aptitude` ask the same way (hadolint's DL3014 only reads apt-get and does not know about simulation).",
        Remediation = "Use `apt-get install -y --no-install-recommends …` (or `--assume-yes`, or `-qq`, which implies -y).",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get", "https://manpages.debian.org/bookworm/apt/apt-get.8.en.html"],
        Equivalents = ["Hadolint DL3014", "Trivy DS-0021"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -qy --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get --assume-yes install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12\nRUN apt-get --yes install curl", false),
            new RuleExample("FROM debian:12\nRUN apt-get install -q curl", true, "quiet level 1 still asks"),
            new RuleExample("FROM debian:12\nRUN apt-get install --quiet curl", true),
            new RuleExample("FROM debian:12\nRUN apt-get install -qq curl", false, "quiet level 2 implies -y"),
            new RuleExample("FROM debian:12\nRUN apt-get install -q -q curl", false),
            new RuleExample("FROM debian:12\nRUN apt-get install --quiet --quiet curl", false),
            new RuleExample("FROM debian:12\nRUN apt-get install -q=2 curl", false),
            new RuleExample("FROM debian:12\nRUN apt-get -o APT::Get::Assume-Yes=true install curl", false),
            new RuleExample("FROM debian:12\nRUN apt-get install -s curl", false, "a simulation installs nothing"),
            new RuleExample("FROM debian:12\nRUN apt-get install --dry-run curl", false),
            new RuleExample("FROM debian:12\nRUN yes | apt-get install curl", false, "yes answers"),
            new RuleExample("FROM debian:12\nRUN apt install curl", true),
            new RuleExample("FROM debian:12\nRUN aptitude install curl", true),
            new RuleExample("FROM debian:12\nRUN xx-apt-get install curl", false, "a wrapper is not apt-get"),
            new RuleExample("FROM debian:12\nRUN apt-get update", false, "no install"),
            new RuleExample("FROM debian:12\nONBUILD RUN apt-get install curl", true),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Apt;

    private protected override string Switch => "-y";

    private protected override bool AnswersOtherwise(PackageCommandLine line)
    {
        var quiet = line.CountShortOption('q') + line.Options.Count(o => o == "--quiet");
        return quiet >= 2
            || line.Options.Any(o => (o.StartsWith("-q=", StringComparison.Ordinal) || o.StartsWith("--quiet=", StringComparison.Ordinal)) && int.TryParse(o[(o.IndexOf('=', StringComparison.Ordinal) + 1)..], out var level) && level >= 2)
            || line.Options.Any(o => o.Contains("Assume-Yes=true", StringComparison.OrdinalIgnoreCase) || o.Contains("Assume-Yes=1", StringComparison.OrdinalIgnoreCase))
            || line.HasAnyOption(Simulate);
    }
}
