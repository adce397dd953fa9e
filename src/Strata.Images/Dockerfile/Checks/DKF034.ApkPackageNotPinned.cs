namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apk add of a package without a version.</summary>
public sealed class ApkPackageNotPinned : PackagePinningCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-034",
        Title = "apk package installed without a version",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`apk add curl` installs whatever the Alpine mirror has on the day of the build, so the image changes without the Dockerfile changing. A version constraint (`curl=8.9.1-r0`, `curl~8.9`, `curl>=8.9`, `curl<9`) or an .apk file counts, as in hadolint (DL3018). The names after `--virtual`/`-t` and the repository after `--repository`/`-X` are not packages.",
        Remediation = "Pin each package: `apk add --no-cache curl=8.9.1-r0`, or at least the minor series with `curl~8.9`. Alpine keeps only the current version of each package per release branch, so pin the base image too (`alpine:3.20.3@sha256:…`) and let Renovate update both.",
        References = ["https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Add_a_Package", "https://github.com/hadolint/hadolint/wiki/DL3018"],
        Equivalents = ["Hadolint DL3018"],
        Examples =
        [
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache flex", true),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache flex=2.6.4-r6", false),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache git~2.45", false, "a fuzzy version"),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache git~=2.45 curl=~8.9", false),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache \"flex>=2.6.1\" \"python3<3.13\"", false),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache \\\n  flex=2.6.4-r6 \\\n  libffi \\\n  bzip2=1.0.8-r6", true, "one of three"),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 musl-dev=1.2.5-r0 \\\n && apk del .build-deps", false, "the virtual package's name is not a package"),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache -t .build-deps gcc", true),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache --repository https://dl-cdn.alpinelinux.org/alpine/edge/testing flow=0.78.0-r0", false, "the repository is not a package"),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache --repository=https://dl-cdn.alpinelinux.org/alpine/edge/testing flow=0.78.0-r0", false),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache -X https://dl-cdn.alpinelinux.org/alpine/edge/testing flow", true),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted /tmp/mypackage-1.1.1-r0.apk", false, "a package file"),
            new RuleExample("FROM alpine:3.20\nRUN apk upgrade --no-cache", false, "no package named"),
            new RuleExample("FROM alpine:3.20\nRUN xx-apk add --no-cache gcc", false, "a wrapper is not apk"),
            new RuleExample("FROM alpine:3.20\nONBUILD RUN apk add --no-cache curl", true),
        ],
    };

    private protected override IReadOnlyList<PackageManager> Managers => [PackageManagers.Apk];

    private protected override string PinnedForm => "curl=8.9.1-r0";
}
