namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A base image with a version tag but no digest.</summary>
public sealed class BaseImageNotPinned : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-006",
        Title = "Base image not pinned by digest",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Tags are mutable: the publisher (or whoever controls the registry account) can point `debian:12` at different content at any time, and a pull through a compromised mirror is only detected when the digest is known. Builds are neither reproducible nor verifiable without the digest.",
        Remediation = "Pin the digest next to the tag: `FROM debian:12-slim@sha256:<digest>` (from `skopeo inspect docker://debian:12-slim` or `docker buildx imagetools inspect`), and let Renovate or Dependabot update tag and digest together.",
        References = ["https://docs.docker.com/build/building/best-practices/#pin-base-image-versions"],
        Equivalents = ["Dockle CIS-DI-0005 (content trust)"],
        Examples =
        [
            new RuleExample("FROM debian:12-slim", true),
            new RuleExample("FROM golang:1.22 AS build\nFROM gcr.io/distroless/static-debian12@sha256:ce46866b3a5170db3b49364900fb3168dc0833dfb46c26da5c77f22abb01d8c3", true, "the build stage's base counts too: it compiles what ships"),
            new RuleExample("FROM debian:12-slim@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf", false),
            new RuleExample("FROM debian", false, "reported as DKF-005 instead"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            if (BaseImageNotTagged.BaseImage(stage) is { Digest: null, Tag: { } tag } && !string.Equals(tag, "latest", StringComparison.Ordinal))
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, stage.From, $"FROM {stage.BaseImage} is pinned by tag only; the tag can move.");
            }
        }
    }
}
