namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>ADD of local files that are not archives: COPY does the same without ADD's surprises.</summary>
public sealed class AddWhereCopyFits : Check<DockerfileDocument>
{
    /// <summary>Names ADD may unpack: compressed and plain tarballs (hadolint's list, plus zstd, which BuildKit unpacks too).</summary>
    private static readonly string[] ArchiveSuffixes = [".tar", ".z", ".bz2", ".gz", ".lz", ".lzma", ".tz", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz", ".txz", ".xz", ".zst", ".tzst"];

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-004",
        Title = "ADD used where COPY fits",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "ADD also fetches URLs and unpacks local tar archives. Used for plain files it hides intent, and a file that later becomes (or is swapped for) an archive gets extracted into the image instead of copied. Sources named like archives (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`, `.gz`, `.xz`, `.zst` …) and remote sources are the legitimate uses of ADD and are not reported; a wildcard counts as an archive only when it ends like one, and ADD of several sources is reported when any of them is a plain file.",
        Remediation = "Use COPY for local files and directories; keep ADD for extracting a local tar archive or for a remote source pinned with --checksum.",
        References = ["https://docs.docker.com/build/building/best-practices/#add-or-copy"],
        Equivalents = ["Hadolint DL3020", "Dockle CIS-DI-0009", "Checkov CKV_DOCKER_4", "Trivy DS-0005"],
        Examples =
        [
            new RuleExample("FROM alpine:3.20\nADD app.conf /etc/app/", true),
            new RuleExample("FROM alpine:3.20\nADD --chown=10001 ./src /app/src", true),
            new RuleExample("FROM alpine:3.20\nADD release.zip /opt/", true, "ADD does not unpack zip files"),
            new RuleExample("FROM alpine:3.20\nADD src/* /app/", true, "a wildcard that does not name archives"),
            new RuleExample("FROM alpine:3.20\nADD vendor.tar.xz app.conf /opt/", true, "one plain file among the sources"),
            new RuleExample("FROM alpine:3.20\nADD rootfs.tar.gz /", false, "ADD unpacks the archive"),
            new RuleExample("FROM alpine:3.20\nADD \"bundle.tgz\" layers/*.tar.bz2 /opt/", false, "archives only, quoted or by wildcard"),
            new RuleExample("FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool /usr/local/bin/tool", false, "a remote source (see DKF-003)"),
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
                if (sources.All(s => AddFromUrl.IsRemote(s) || IsArchive(s)))
                {
                    continue;
                }

                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, add, $"ADD copies local {(sources.Count == 1 ? "file " + sources[0] : sources.Count + " sources")}; COPY does the same without unpacking or fetching.");
            }
        }
    }

    private static bool IsArchive(string source) =>
        !source.StartsWith("<<", StringComparison.Ordinal) && ArchiveSuffixes.Any(s => source.EndsWith(s, StringComparison.OrdinalIgnoreCase));
}
