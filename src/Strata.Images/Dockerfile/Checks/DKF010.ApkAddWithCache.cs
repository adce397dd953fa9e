namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apk add without --no-cache in a stage that ships.</summary>
public sealed class ApkAddWithCache : PackageCacheCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-010",
        Title = "apk add keeps its index cache",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Without --no-cache, `apk add` (usually after `apk update` or with `--update`) leaves the package index in /var/cache/apk in the layer: wasted space and stale metadata in every container. Only the stages that ship and ONBUILD triggers are reported. Unlike hadolint (DL3019), removing /var/cache/apk later in the same RUN counts: the layer is then as clean as with --no-cache.",
        Remediation = "Use `apk add --no-cache <packages>` (it fetches the index, installs and keeps nothing), or remove /var/cache/apk/* later in the same RUN, or use a cache mount on /var/cache/apk.",
        References = ["https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Local_Cache"],
        Equivalents = ["Hadolint DL3019", "Dockle DKL-DI-0004", "Trivy DS-0025"],
        Examples =
        [
            new RuleExample("FROM alpine:3.20\nRUN apk update && apk add curl", true),
            new RuleExample("FROM alpine:3.20\nRUN apk add --no-cache curl", false),
            new RuleExample("FROM alpine:3.20\nRUN apk --no-cache add curl", false, "a global option before the subcommand"),
            new RuleExample("FROM alpine:3.20\nRUN apk add -U curl=8.9.1-r0", true),
            new RuleExample("FROM alpine:3.20\nRUN apk add --update curl && rm -rf /var/cache/apk/*", false),
            new RuleExample("FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add -U curl", false),
            new RuleExample("FROM alpine:3.20\nRUN --mount=type=tmpfs,target=/var/cache/apk apk add -U curl", false),
            new RuleExample("FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/foo apk add -U curl", true, "the mount is somewhere else"),
            new RuleExample("FROM alpine:3.20\nRUN xx-apk add gcc", false, "a wrapper is not apk"),
            new RuleExample("FROM alpine:3.20 AS build\nRUN apk add gcc\nFROM scratch\nCOPY --from=build /out /out", false, "the build stage does not ship"),
            new RuleExample("FROM alpine:3.20\nONBUILD RUN apk add curl", true),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Apk;

    private protected override string Message(PackageCommandLine line) => "apk add without --no-cache leaves the package index in /var/cache/apk.";
}
