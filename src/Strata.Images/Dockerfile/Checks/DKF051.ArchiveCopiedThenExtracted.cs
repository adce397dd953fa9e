namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A local tar archive COPYed into the image and unpacked by a later RUN: ADD unpacks it without keeping the archive in a layer.</summary>
public sealed class ArchiveCopiedThenExtracted : Check<DockerfileDocument>
{
    /// <summary>Names hadolint takes for archives (compressed tarballs and plain compressed files).</summary>
    private static readonly string[] ArchiveSuffixes = [".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz", ".txz", ".xz", ".zst", ".tzst"];

    /// <summary>Names of tar archives: what ADD unpacks (a lone .gz file is copied as it is).</summary>
    private static readonly string[] TarSuffixes = [".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz", ".txz", ".tzst"];

    private static readonly HashSet<string> Decompressors = new(StringComparer.Ordinal) { "unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat", "unzstd", "zstdcat" };

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-051",
        Title = "Archive copied, then extracted in a RUN",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "COPY writes the archive into a layer, and the RUN that unpacks it writes its contents into another: the archive stays in the image for good even if the RUN deletes it. ADD unpacks a local tar archive (gzip, bzip2, xz or zstd compressed) as it copies it, so only the contents are stored.",
        Remediation = "Unpack while copying: `ADD app.tar.gz /opt/app/`. Or bind-mount the archive for the one RUN that reads it, so it is never stored: `RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt/app`. (A plain compressed file such as data.gz that is not a tarball is not unpacked by ADD and is not reported.)",
        References = ["https://docs.docker.com/reference/dockerfile/#adding-local-tar-archives", "https://docs.docker.com/build/building/best-practices/#add-or-copy"],
        Equivalents = ["Hadolint DL3010"],
        Examples =
        [
            new RuleExample("FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz", true),
            new RuleExample("FROM debian:12\nCOPY dist/release.tgz /opt/release.tgz\nWORKDIR /opt\nRUN tar --extract --file release.tgz", true, "matched by file name"),
            new RuleExample("FROM debian:12\nCOPY vendor.tar.xz /src/\nRUN unxz /src/vendor.tar.xz", true),
            new RuleExample("FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -tzf /tmp/app.tar.gz", false, "listed, not extracted"),
            new RuleExample("FROM debian:12\nCOPY data.gz /srv/\nRUN gunzip /srv/data.gz", false, "not a tarball: ADD would not unpack it"),
            new RuleExample("FROM debian:12 AS fetch\nRUN curl -fsSLo /out.tgz https://example.com/a.tgz\nFROM debian:12\nCOPY --from=fetch /out.tgz /tmp/\nRUN tar -xzf /tmp/out.tgz", false, "copied from a stage, not from the build context"),
            new RuleExample("FROM debian:12\nADD app.tar.gz /opt/", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            var archives = new List<(string Name, DockerfileInstruction Copy)>();
            var reported = new HashSet<DockerfileInstruction>();
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword == "COPY" && instruction.Flag("from") is null && instruction.Words is { Count: >= 2 } words)
                {
                    var target = BaseName(words[^1]);
                    if (IsArchive(target))
                    {
                        archives.Add((target, instruction));
                    }
                    else
                    {
                        archives.AddRange(words.Take(words.Count - 1).Select(BaseName).Where(IsArchive).Select(name => (name, instruction)));
                    }

                    continue;
                }

                if (instruction.Keyword != "RUN" || instruction.Script is null || archives.Count == 0)
                {
                    continue;
                }

                foreach (var command in instruction.Script.Commands)
                {
                    var tar = IsTarExtraction(command);
                    if (!tar && !Decompressors.Contains(command.Program))
                    {
                        continue;
                    }

                    var operands = Operands(command).Select(BaseName).ToHashSet(StringComparer.Ordinal);
                    foreach (var (name, copy) in archives.Where(a => operands.Contains(a.Name) && (tar || IsTarball(a.Name))))
                    {
                        if (reported.Add(copy))
                        {
                            yield return DockerfileFindings.At(Rule, subject, context.Target, stage, copy, $"COPY puts the archive {name} in a layer and the RUN at line {instruction.Script.LineOf(command) ?? instruction.StartLine} extracts it ({command.Program}); ADD would unpack it without storing the archive.");
                        }
                    }
                }
            }
        }
    }

    private static bool IsTarExtraction(ShellCommand command)
    {
        if (command.Program != "tar")
        {
            return false;
        }

        var arguments = command.Arguments;

        // Old-style first argument without a dash (tar xzf a.tgz) counts as well as -x, --extract and --get.
        return arguments.Any(a => a is "--extract" or "--get" || (a.Length > 1 && a[0] == '-' && a[1] != '-' && a.Contains('x', StringComparison.Ordinal)))
            || (arguments.Count > 0 && arguments[0].Length > 0 && arguments[0][0] != '-' && arguments[0].Contains('x', StringComparison.Ordinal) && arguments[0].All(char.IsAsciiLetter));
    }

    /// <summary>The arguments that may name a file: operands, and the values of --file=.</summary>
    private static IEnumerable<string> Operands(ShellCommand command) =>
        command.Arguments.Select(a => a.StartsWith("--file=", StringComparison.Ordinal) ? a["--file=".Length..] : a).Where(a => !a.StartsWith('-'));

    private static bool IsArchive(string name) => ArchiveSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));

    private static bool IsTarball(string name) => name.Contains(".tar", StringComparison.Ordinal) || TarSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));

    private static string BaseName(string path)
    {
        var trimmed = path.Trim('"', '\'');
        var slash = trimmed.LastIndexOfAny(['/', '\\']);
        return slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
    }
}
