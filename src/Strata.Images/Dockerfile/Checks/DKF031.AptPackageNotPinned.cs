namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apt-get install of a package without a version.</summary>
public sealed class AptPackageNotPinned : PackagePinningCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-031",
        Title = "apt package installed without a version",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`apt-get install curl` installs whatever version the mirror offers on the day of the build: two builds of the same Dockerfile differ, a regression or a compromised update arrives unnoticed, and nobody can tell from the Dockerfile what the image contains. A version (`curl=7.88.1-10+deb12u5`, or a prefix `curl=7.88.*`) fixes it; a .deb file, a local path or a URL names one artifact. `-t bookworm-backports` and `curl/bookworm-backports` choose a release, not a version, and do not count (hadolint DL3008 accepts any argument containing a slash). `apt` and `aptitude` are read like apt-get; wrappers such as `xx-apt-get` are not.",
        Remediation = "Pin each package: `apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5` (`apt-cache policy curl` shows the candidates). Debian mirrors drop superseded versions, so pair pins with a pinned base image digest or snapshot.debian.org, and let Renovate update both.",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get", "https://github.com/hadolint/hadolint/wiki/DL3008"],
        Equivalents = ["Hadolint DL3008"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y python3 && rm -rf /var/lib/apt/lists/*", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y python3=3.11.2-1+b1 && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12\nRUN apt-get update \\\n && apt-get -yqq --no-install-recommends install nodejs=18.19.0+dfsg-6~deb12u2 \\\n && rm -rf /var/lib/apt/lists/*", false, "options before the subcommand"),
            new RuleExample("FROM debian:12\nRUN apt-get install -y --no-install-recommends \\\n  git=1:2.39.* \\\n  wget=1.21.3* \\\n  ruby=1:3.1*", false, "version prefixes with a wildcard"),
            new RuleExample("FROM debian:12\nRUN apt-get install -y --no-install-recommends \\\n  git=1:2.39.5-0+deb12u1 \\\n  wget \\\n  curl=7.88.1-10+deb12u8", true, "one package of three"),
            new RuleExample("FROM debian:12\nRUN apt-get install -y ./wkhtmltox_0.12.6.1-3.bookworm_amd64.deb", false, "a package file"),
            new RuleExample("FROM debian:12\nRUN apt-get install -y /tmp/app.deb", false),
            new RuleExample("FROM debian:12\nRUN apt-get install -y --no-install-recommends -t bookworm-backports golang-1.23-go=1.23.1-1~bpo12+1", false, "the value of -t is not a package"),
            new RuleExample("FROM debian:12\nRUN apt-get install -y --no-install-recommends -t bookworm-backports golang-1.23-go", true, "a release is not a version"),
            new RuleExample("FROM debian:12\nRUN apt-get install -y --no-install-recommends golang-1.23-go/bookworm-backports", true, "a release is not a version"),
            new RuleExample("FROM debian:12\nRUN apt-get -o Dpkg::Options::=--force-confold install -y tzdata=2024a-0+deb12u1", false),
            new RuleExample("FROM debian:12\nRUN apt install -y python3", true, "apt is read like apt-get"),
            new RuleExample("FROM debian:12\nRUN aptitude install -y python3=3.11.2-1+b1", false),
            new RuleExample("FROM debian:12\nRUN aptitude install -y python3", true),
            new RuleExample("FROM debian:12\nRUN sudo apt-get install -y python3", true, "through sudo"),
            new RuleExample("FROM debian:12\nRUN xx-apt-get install -y gcc", false, "a cross-compilation wrapper is not apt-get"),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get upgrade -y", false, "no package named"),
            new RuleExample("FROM debian:12\nRUN apt-get install -y \"$PACKAGES\"", true, "the versions cannot be seen"),
            new RuleExample("FROM debian:12\nONBUILD RUN apt-get install -y python3", true, "an ONBUILD trigger installs in every child image"),
            new RuleExample("FROM debian:12\nONBUILD RUN apt-get install -y python3=3.11.2-1+b1", false),
        ],
    };

    private protected override IReadOnlyList<PackageManager> Managers => [PackageManagers.Apt];

    private protected override string PinnedForm => "curl=7.88.1-10+deb12u5";
}
