namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci;

/// <summary>A base image without a tag, or tagged latest, and not pinned by digest.</summary>
public sealed class BaseImageNotTagged : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-005",
        Title = "Base image without a version tag, or latest",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "An untagged base image means `latest`, which moves: every build may start from a different operating system release, with different packages, users and vulnerabilities, and a build that passed review yesterday is not the one shipped today.",
        Remediation = "Name a version, and better pin the digest too: `FROM debian:12.7-slim@sha256:…`. Let a bot (Renovate, Dependabot) propose updates so they are reviewed.",
        References = ["https://docs.docker.com/reference/dockerfile/#from", "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions"],
        Equivalents = ["Hadolint DL3006", "Hadolint DL3007", "Dockle DKL-DI-0006", "Checkov CKV_DOCKER_7", "Trivy DS-0001"],
        Examples =
        [
            new RuleExample("FROM debian", true),
            new RuleExample("FROM debian:latest", true),
            new RuleExample("ARG BASE=ubuntu\nFROM ${BASE}", true, "the global ARG resolves to an untagged image"),
            new RuleExample("FROM debian:12-slim", false),
            new RuleExample("FROM golang:1.22 AS build\nFROM build", false, "a stage, not an image"),
            new RuleExample("FROM scratch", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            if (BaseImage(stage) is not { } reference || reference.Digest is not null)
            {
                continue;
            }

            if (reference.Tag is null)
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, stage.From, $"FROM {stage.BaseImage} has no tag, so it means {stage.BaseImage}:latest, whatever that is at build time.");
            }
            else if (string.Equals(reference.Tag, "latest", StringComparison.Ordinal))
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, stage.From, $"FROM {stage.BaseImage} uses the moving tag latest.");
            }
        }
    }

    /// <summary>The stage's base as an image reference; null for scratch, stages, unresolved ARGs and text that is not a reference.</summary>
    internal static ImageReference? BaseImage(DockerfileStage stage)
    {
        if (stage.BaseStage is not null || stage.BaseImageUnresolved || string.Equals(stage.BaseImage, "scratch", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return ImageReference.TryParse(stage.BaseImage, out var reference, out _) ? reference : null;
    }
}
