namespace Strata.Images.Dockerfile.Fixes;

using Strata.Core.Findings;

/// <summary>
/// DKF-016: <c>RUN cd /dir &amp;&amp; cmd</c> becomes <c>WORKDIR /dir</c> + <c>RUN cmd</c>, and the previous WORKDIR is set
/// again after it so later instructions and the image's working directory do not change. Only when the cd is the RUN's
/// first command, its directory absolute and literal, and the stage's previous WORKDIR known.
/// </summary>
public sealed class CdToWorkdirFix : DockerfileFix
{
    public override string RuleId => "DKF-016";

    public override string Description => "replace cd with WORKDIR";

    public override IReadOnlyList<TextEdit> Edits(FixSubject subject, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(finding);
        var (stage, run) = subject.InstructionAt(finding);
        if (stage is null || run is not { Keyword: "RUN", Script: { } script } || run.IsExecForm || run.Heredocs.Count > 0 || run.Trigger is not null
            || !stage.Instructions.Contains(run) || script.Commands.Count < 2)
        {
            return [];
        }

        var cd = script.Commands[0];
        if (cd.Program != "cd" || cd.Words is not [_, var directory] || cd.Separator != "&&" || !directory.StartsWith('/')
            || directory.IndexOfAny(['$', '*', '?', '[', '`', '~']) >= 0 || script.Commands.Skip(1).Any(c => c.Program == "cd"))
        {
            return [];
        }

        // The working directory before this RUN: the stage's last absolute WORKDIR (else the base image's, unknown).
        var before = stage.Instructions.TakeWhile(i => !ReferenceEquals(i, run)).LastOrDefault(i => i.Keyword == "WORKDIR");
        if (before is not { Unresolved: false, Words: [var previous] } || !previous.StartsWith('/'))
        {
            return [];
        }

        var source = subject.Source;
        var text = source.Text;
        var scriptStart = text.IndexOf(script.Fragment(cd), source.LineStart(run.StartLine), StringComparison.Ordinal);
        if (scriptStart < 0)
        {
            return [];
        }

        // Remove "cd /dir &&" and the blanks after it.
        var andAnd = text.IndexOf("&&", scriptStart, StringComparison.Ordinal);
        if (andAnd < 0 || andAnd > subject.EndOfArguments(run))
        {
            return [];
        }

        var removeEnd = andAnd + 2;
        while (removeEnd < text.Length && text[removeEnd] is ' ' or '\t')
        {
            removeEnd++;
        }

        var newLine = source.NewLine;
        var lineStart = source.LineStart(run.StartLine);
        var indent = FixSubject.LeadingSpace().Match(source.Line(run.StartLine)).Value;
        var endOfRun = source.LineContentEnd(run.EndLine);
        return
        [
            TextEdit.Insert(lineStart, $"{indent}WORKDIR {directory}{newLine}"),
            new TextEdit(scriptStart, removeEnd - scriptStart, string.Empty),
            TextEdit.Insert(endOfRun, $"{newLine}{indent}WORKDIR {previous}"),
        ];
    }
}
