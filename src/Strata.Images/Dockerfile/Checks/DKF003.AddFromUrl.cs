namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Secrets;

/// <summary>ADD downloads a remote URL without a checksum.</summary>
public sealed class AddFromUrl : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-003",
        Title = "ADD downloads from a URL without a checksum",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "ADD with a URL fetches whatever the server returns at build time, with no integrity check: a compromised or hijacked server, or a changed release, silently changes the image. The download also lands in its own layer, so removing an archive after extracting it does not shrink the image.",
        Remediation = "Pin the content: `ADD --checksum=sha256:<digest> https://…` (BuildKit), or download with curl/wget in a RUN, verify the checksum or signature (`sha256sum -c`), extract and delete in the same RUN. For git sources, use `ADD --checksum` with a commit or clone a pinned commit.",
        References = ["https://docs.docker.com/reference/dockerfile/#add---checksum", "https://docs.docker.com/build/building/best-practices/#add-or-copy"],
        Equivalents = ["Dockle CIS-DI-0009", "Checkov CKV_DOCKER_4"],
        Examples =
        [
            new RuleExample("FROM alpine:3.20\nADD https://example.com/app.tar.gz /opt/", true),
            new RuleExample("FROM alpine:3.20\nARG URL=https://example.com/tool\nADD ${URL} /usr/local/bin/tool", true, "the URL comes from an ARG"),
            new RuleExample("FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/app.tar.gz /opt/", false),
            new RuleExample("FROM alpine:3.20\nADD rootfs.tar.xz /", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var add in stage.Instructions.Where(i => i.Keyword == "ADD" && i.Words is { Count: >= 2 } && !i.HasFlag("checksum")))
            {
                var url = add.Words!.Take(add.Words!.Count - 1).FirstOrDefault(IsRemote);
                if (url is not null)
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, add, $"ADD downloads {SecretText.Mask(url)} without --checksum.");
                }
            }
        }
    }

    internal static bool IsRemote(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || source.StartsWith("git@", StringComparison.Ordinal)
        || source.StartsWith("git://", StringComparison.OrdinalIgnoreCase);
}
