namespace Strata.Images.Dockerfile.Fixes;

using Strata.Core.Findings;

/// <summary>DKF-004: ADD of local files becomes COPY (same flags; ADD-only flags leave it alone).</summary>
public sealed class AddToCopyFix : DockerfileFix
{
    public override string RuleId => "DKF-004";

    public override string Description => "use COPY instead of ADD";

    public override IReadOnlyList<TextEdit> Edits(FixSubject subject, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(finding);
        var (_, add) = subject.InstructionAt(finding);
        if (add is not { Keyword: "ADD" } || add.HasFlag("checksum") || add.HasFlag("keep-git-dir") || add.HasFlag("unpack"))
        {
            return [];
        }

        var start = subject.Source.LineStart(add.StartLine);
        var line = subject.Source.Line(add.StartLine);
        var at = line.IndexOf("ADD", StringComparison.OrdinalIgnoreCase);
        if (at < 0 || (at + 3 < line.Length && !char.IsWhiteSpace(line[at + 3])))
        {
            return [];
        }

        var written = line.Substring(at, 3);
        return [new TextEdit(start + at, 3, written == "ADD" ? "COPY" : written == "add" ? "copy" : "Copy")];
    }
}
