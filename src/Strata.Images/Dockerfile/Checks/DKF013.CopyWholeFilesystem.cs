namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>COPY --from of another stage's or image's whole filesystem onto the root of this one.</summary>
public sealed class CopyWholeFilesystem : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-013",
        Title = "COPY --from copies a whole filesystem",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "Copying `/` from a build stage or an image onto `/` brings everything along: compilers, package managers, shells, caches, credentials fetched during the build, setuid binaries and the other image's package database, over this stage's own files. It defeats the point of a multi-stage build and makes the result hard to scan and to reason about. Copying a filesystem into a subdirectory (assembling a root filesystem under /rootfs) is a different, deliberate pattern and is not reported.",
        Remediation = "Copy only the artifacts the final image needs: `COPY --from=build /out/app /usr/local/bin/app`. To start from another stage's filesystem on purpose, say so with `FROM build`.",
        References = ["https://docs.docker.com/build/building/multi-stage/"],
        Equivalents = ["Hadolint DL3067"],
        Examples =
        [
            new RuleExample("FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build / /", true),
            new RuleExample("FROM alpine:3.20\nCOPY --from=busybox:1.36 \"/\" \"/\"", true, "an image, quoted paths"),
            new RuleExample("FROM debian:12 AS build\nFROM scratch\nCOPY --from=build /. /", true),
            new RuleExample("FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app", false),
            new RuleExample("FROM alpine:3.20\nCOPY --from=busybox:1.36 / /rootfs/", false, "into a subdirectory: assembling a root filesystem"),
            new RuleExample("FROM alpine:3.20\nCOPY / /", false, "from the build context, not another filesystem"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var copy in stage.Instructions.Where(i => i.Keyword == "COPY" && i.Flag("from") is not null && i.Words is { Count: >= 2 }))
            {
                var sources = copy.Words!.Take(copy.Words!.Count - 1);
                if (IsRoot(copy.Words![^1]) && sources.Any(IsRoot))
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, copy, $"COPY --from={copy.Flag("from")} copies its whole filesystem onto /.");
                }
            }
        }
    }

    private static bool IsRoot(string path) => path is "/" or "/." or "/./";
}
