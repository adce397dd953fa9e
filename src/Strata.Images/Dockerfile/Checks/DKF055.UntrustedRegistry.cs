namespace Strata.Images.Dockerfile.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci;
using Strata.Secrets;

/// <summary>FROM, COPY --from or RUN --mount from= naming an image on a registry outside the configured trusted list.</summary>
/// <param name="config">The lint configuration with <see cref="DockerfileLintConfig.TrustedRegistries"/>.</param>
public sealed class UntrustedRegistry(DockerfileLintConfig config) : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-055",
        Title = "Image from a registry that is not trusted",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "An organisation that mirrors or vets its base images lists the registries builds may pull from; an image from anywhere else (a personal Docker Hub account, a typo-squatted registry) has not gone through that review, and what it contains runs in the build and ships in the image. The rule checks FROM, `COPY --from=<image>` and `RUN --mount=from=<image>`; an image without a registry is on docker.io. It runs only when trusted registries are configured (`trustedRegistries` in .hadolint.yaml or the file given with --dockerfile-config); `scratch`, stage names and stage numbers (`--from=0`, which hadolint takes for an image) are always allowed.",
        Remediation = "Pull the image through a trusted registry (`FROM registry.example.com/mirror/debian:12`), or add its registry to `trustedRegistries` after review. Patterns: `registry.example.com`, `*.example.com`, `registry.example.*`, `*`.",
        References = ["https://docs.docker.com/reference/dockerfile/#from", "https://github.com/hadolint/hadolint#configure"],
        Equivalents = ["Hadolint DL3026"],
        Examples =
        [
            new RuleExample("# .hadolint.yaml: {trustedRegistries: [registry.example.com]}\nFROM debian:12", true, "docker.io is not in the list"),
            new RuleExample("# .hadolint.yaml: {trustedRegistries: [\"*.example.com\"]}\nFROM mirror.example.com/debian:12 AS build\nCOPY --from=quay.io/tools/jq:1.7 /jq /usr/local/bin/jq", true, "COPY --from an image counts as well"),
            new RuleExample("# .hadolint.yaml: {trustedRegistries: [registry.example.com]}\nFROM registry.example.com/base/debian:12\nRUN --mount=type=bind,from=ghcr.io/acme/tools:1,target=/t /t/setup", true),
            new RuleExample("# .hadolint.yaml: {trustedRegistries: [docker.io]}\nFROM debian:12 AS build\nFROM docker.io/library/alpine:3.20\nCOPY --from=build /out /out\nFROM scratch", false, "docker.io, stage names and scratch"),
            new RuleExample("# .hadolint.yaml: {trustedRegistries: [\"*.example.com\"]}\nFROM mirror.example.com/debian:12", false),
            new RuleExample("FROM quay.io/acme/anything:1", false, "no trusted registries configured: the rule is silent"),
        ],
    };

    public override bool AppliesTo(DockerfileDocument subject, [NotNullWhen(false)] out string? reason)
    {
        reason = config.TrustedRegistries.Count == 0 ? "no trusted registries are configured (trustedRegistries in .hadolint.yaml)" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            if (stage.BaseStage is null && !stage.BaseImageUnresolved && Untrusted(stage.BaseImage) is { } fromRegistry)
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, stage.From, $"FROM {SecretText.Mask(stage.BaseImage)} pulls from {fromRegistry}, which is not a trusted registry.");
            }

            foreach (var instruction in stage.Instructions.Where(i => !i.Unresolved))
            {
                var sources = instruction.Keyword switch
                {
                    "COPY" when instruction.Flag("from") is { } from => [from],
                    "RUN" => instruction.Mounts.Where(m => m.GetValueOrDefault("type") is "bind" or "cache").Select(m => m.GetValueOrDefault("from")).OfType<string>().ToList(),
                    _ => [],
                };
                foreach (var source in sources.Where(s => !IsStage(subject, stage, s)))
                {
                    if (Untrusted(source) is { } registry)
                    {
                        var how = instruction.Keyword == "COPY" ? "COPY --from" : "RUN --mount from";
                        yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, $"{how}={SecretText.Mask(source)} pulls from {registry}, which is not a trusted registry.");
                    }
                }
            }
        }
    }

    /// <summary>True when <paramref name="reference"/> names a stage (by name, or by a number) rather than an image.</summary>
    private static bool IsStage(DockerfileDocument dockerfile, DockerfileStage stage, string reference) =>
        reference.All(char.IsAsciiDigit) || dockerfile.Stages.Take(stage.Index + 1).Any(s => string.Equals(s.Name, reference, StringComparison.OrdinalIgnoreCase));

    /// <summary>The registry of <paramref name="image"/> when it is not trusted; null when it is, or for scratch and text that is no reference.</summary>
    private string? Untrusted(string image)
    {
        if (string.Equals(image, "scratch", StringComparison.OrdinalIgnoreCase) || !ImageReference.TryParse(image, out var reference, out _))
        {
            return null;
        }

        // Docker Hub is written docker.io by most and hub.docker.com by some; either entry trusts it.
        var trusted = reference.Registry == ImageReference.DockerHub
            ? config.Trusts(ImageReference.DockerHub) || config.Trusts("hub.docker.com")
            : config.Trusts(reference.Registry);
        return trusted ? null : reference.Registry;
    }
}
