namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>FROM --platform with a fixed value instead of the build's platform arguments.</summary>
public sealed class FixedPlatform : Check<DockerfileDocument>
{
    /// <summary>The platform arguments BuildKit sets for every build.</summary>
    private static readonly string[] PlatformArguments = ["BUILDPLATFORM", "TARGETPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT", "TARGETOS", "TARGETARCH", "TARGETVARIANT"];

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-056",
        Title = "FROM --platform with a fixed platform",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`FROM --platform=linux/amd64` pins the stage to one architecture whatever the build asks for: a `docker buildx build --platform linux/arm64` silently produces an image (or copies binaries) for the wrong CPU, which then fails or runs under emulation. The build's own platforms are in `$BUILDPLATFORM` (where the build runs) and `$TARGETPLATFORM` (what it builds for); their parts (`$BUILDOS/$BUILDARCH`, `$TARGETARCH` …) count as well. Any other value, an ARG with a default included, is fixed.",
        Remediation = "Drop the flag, or use the build's platform: `FROM --platform=$BUILDPLATFORM golang:1.22 AS build` for a cross-compiling stage (with `GOOS=$TARGETOS GOARCH=$TARGETARCH`). Choose the platform on the command line (`--platform`), not in the Dockerfile.",
        References = ["https://docs.docker.com/reference/dockerfile/#from", "https://docs.docker.com/build/building/multi-platform/"],
        Equivalents = ["Hadolint DL3029"],
        Examples =
        [
            new RuleExample("FROM --platform=linux/amd64 debian:12", true),
            new RuleExample("ARG ARCH=linux/arm64\nFROM --platform=$ARCH debian:12", true, "an ARG with a fixed default is still fixed"),
            new RuleExample("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM debian:12", false),
            new RuleExample("FROM --platform=\"${TARGETPLATFORM:-linux/amd64}\" debian:12", false),
            new RuleExample("FROM --platform=$BUILDOS/$BUILDARCH golang:1.22", false, "the same as $BUILDPLATFORM"),
            new RuleExample("FROM debian:12", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            var platform = WrittenText.From(subject, stage).Flag("platform");
            if (platform is not null && !PlatformArguments.Any(a => WrittenText.References(platform, a)))
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, stage.From, $"FROM --platform={platform} fixes the platform of stage {stage.Label}; use $BUILDPLATFORM or $TARGETPLATFORM, or no flag.");
            }
        }
    }
}
