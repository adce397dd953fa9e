namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apt-get update whose package lists stay in the layer.</summary>
public sealed class AptListsNotCleaned : PackageCacheCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-009",
        Title = "apt lists left in the image",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`apt-get update` (or `apt update`, `aptitude update`) downloads the package lists to /var/lib/apt/lists (tens of megabytes). Unless they are removed later in the same RUN they stay in that layer for good: a later `rm` only hides them. They also go stale, so anyone running apt in the container later installs from outdated metadata. Only the stages that ship and ONBUILD triggers are reported. Unlike hadolint (DL3009), any `rm -rf` does not count as clean-up (it must remove the lists, after the update), and a cache mount on /var/lib/apt alone is enough (the lists are inside it).",
        Remediation = "Finish the RUN that runs `apt-get update` with `&& rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean`, apt 2.7 and later), or keep the lists out of the layer with a cache mount: `RUN --mount=type=cache,target=/var/lib/apt/lists …`.",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get", "https://docs.docker.com/build/cache/optimize/#use-cache-mounts"],
        Equivalents = ["Hadolint DL3009", "Dockle DKL-DI-0005"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get dist-clean", false, "apt 2.7+ removes the lists itself"),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean", true, "apt-get clean empties /var/cache/apt, not the lists"),
            new RuleExample("FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl", true, "removed before the update, not after"),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /tmp/*", true, "removes something else"),
            new RuleExample("FROM debian:12\nRUN apt update && apt install -y curl", true),
            new RuleExample("FROM debian:12\nRUN aptitude update && aptitude install -y curl && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl", false),
            new RuleExample("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl", false),
            new RuleExample("FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl", false),
            new RuleExample("FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl", true, "the mount holds the .deb files, not the lists"),
            new RuleExample("FROM debian:12\nRUN xx-apt-get update && xx-apt-get install -y gcc", false, "a wrapper is not apt-get"),
            new RuleExample("FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /out /out", false, "the build stage does not ship"),
            new RuleExample("FROM debian:12 AS base\nRUN apt-get update && apt-get install -y gcc\nFROM base\nRUN true", true, "the final stage is built FROM it"),
            new RuleExample("FROM debian:12 AS build\nONBUILD RUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /out /out", true, "an ONBUILD trigger ships in the child images"),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Apt;

    private protected override string Message(PackageCommandLine line) => $"{line.Program} update runs but /var/lib/apt/lists is not removed afterwards in the same RUN.";
}
