namespace Strata.Images.Dockerfile.Fixes;

using Strata.Core.Findings;

/// <summary>
/// DKF-006: <c>FROM image:tag</c> becomes <c>FROM image:tag@sha256:…</c>, with the digest the registry serves for the
/// tag now (resolved before fixing, by the caller, and verified against the manifest bytes).
/// </summary>
/// <param name="digests">Image reference as written in FROM (after ARG substitution) → the digest of what it names now.</param>
public sealed class DigestPinFix(IReadOnlyDictionary<string, string> digests) : DockerfileFix
{
    public override string RuleId => "DKF-006";

    public override string Description => "pin the base image by digest";

    /// <summary>The base images of <paramref name="document"/> that can be pinned: literal references without a digest.</summary>
    public static IEnumerable<string> Pinnable(DockerfileDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Stages
            .Where(s => s.BaseStage is null && !s.IsScratch && !s.BaseImageUnresolved && !s.BaseImage.Contains('@', StringComparison.Ordinal))
            .Select(s => s.BaseImage)
            .Distinct(StringComparer.Ordinal);
    }

    public override IReadOnlyList<TextEdit> Edits(FixSubject subject, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(finding);
        var (stage, from) = subject.InstructionAt(finding);
        if (stage is null || !ReferenceEquals(from, stage.From) || !digests.TryGetValue(stage.BaseImage, out var digest))
        {
            return [];
        }

        // The image word as written: only when it is written literally (no ${VAR}).
        var start = subject.Source.LineStart(from.StartLine);
        if (subject.AfterWord(start, subject.Source.LineContentEnd(from.EndLine), stage.BaseImage) is not int end)
        {
            return [];
        }

        return [TextEdit.Insert(end, "@" + digest)];
    }
}
