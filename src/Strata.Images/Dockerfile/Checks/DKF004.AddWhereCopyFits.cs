namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>ADD of local files that are not archives: COPY does the same without ADD's surprises.</summary>
public sealed class AddWhereCopyFits : Check<DockerfileDocument>
{
    private static readonly string[] ArchiveSuffixes = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.lz", ".tar.lzma", ".tar.z"];

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-004",
        Title = "ADD used where COPY fits",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "ADD also fetches URLs and unpacks local tar archives. Used for plain files it hides intent, and a file that later becomes (or is swapped for) an archive gets extracted into the image instead of copied.",
        Remediation = "Use COPY for local files and directories; keep ADD for extracting a local tar archive or for a remote source pinned with --checksum.",
        References = ["https://docs.docker.com/build/building/best-practices/#add-or-copy"],
        Equivalents = ["Hadolint DL3020", "Dockle CIS-DI-0009", "Checkov CKV_DOCKER_4"],
        Examples =
        [
            new RuleExample("FROM alpine:3.20\nADD app.conf /etc/app/", true),
            new RuleExample("FROM alpine:3.20\nADD --chown=10001 ./src /app/src", true),
            new RuleExample("FROM alpine:3.20\nADD rootfs.tar.gz /", false, "ADD unpacks the archive"),
            new RuleExample("FROM alpine:3.20\nCOPY app.conf /etc/app/", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var add in stage.Instructions.Where(i => i.Keyword == "ADD" && i.Words is { Count: >= 2 } && !i.Unresolved))
            {
                var sources = add.Words!.Take(add.Words!.Count - 1).ToList();
                if (sources.Any(AddFromUrl.IsRemote) || sources.Any(IsArchiveOrUnknown))
                {
                    continue;
                }

                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, add, $"ADD copies local {(sources.Count == 1 ? "file " + sources[0] : sources.Count + " sources")}; COPY does the same without unpacking or fetching.");
            }
        }
    }

    private static bool IsArchiveOrUnknown(string source)
    {
        // Wildcards may match archives; heredoc sources (ADD <<EOF) are plain text.
        if (source.StartsWith("<<", StringComparison.Ordinal))
        {
            return false;
        }

        return source.Contains('*', StringComparison.Ordinal) || source.Contains('?', StringComparison.Ordinal) || source.Contains('[', StringComparison.Ordinal)
            || ArchiveSuffixes.Any(s => source.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }
}
