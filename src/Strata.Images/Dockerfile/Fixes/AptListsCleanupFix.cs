namespace Strata.Images.Dockerfile.Fixes;

using Strata.Core.Findings;

/// <summary>DKF-009: removes the apt lists at the end of the same RUN, so they never reach the layer.</summary>
public sealed class AptListsCleanupFix : DockerfileFix
{
    private const string Cleanup = "rm -rf /var/lib/apt/lists/*";

    public override string RuleId => "DKF-009";

    public override string Description => "remove /var/lib/apt/lists/* in the same RUN";

    public override IReadOnlyList<TextEdit> Edits(FixSubject subject, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(finding);
        var (_, run) = subject.InstructionAt(finding);
        if (run is not { Keyword: "RUN", Script: not null } || run.IsExecForm)
        {
            return [];
        }

        if (run.Heredocs.Count > 0)
        {
            // The script is the here-document: the clean-up is its last line, before the delimiter.
            var heredoc = run.Heredocs[^1];
            var closing = run.EndLine;
            var indent = heredoc.StripTabs ? "\t" : string.Empty;
            return [TextEdit.Insert(subject.Source.LineStart(closing), indent + Cleanup + subject.Source.NewLine)];
        }

        var end = subject.EndOfArguments(run);
        var lastLine = subject.Source.Line(run.EndLine).TrimEnd();
        if (lastLine.Contains(" #", StringComparison.Ordinal) || lastLine.EndsWith('\\') || lastLine.EndsWith("&&", StringComparison.Ordinal)
            || lastLine.EndsWith("||", StringComparison.Ordinal) || lastLine.EndsWith('|'))
        {
            return [];
        }

        return [TextEdit.Insert(end, lastLine.EndsWith(';') ? " " + Cleanup : " && " + Cleanup)];
    }
}
