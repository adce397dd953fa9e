namespace Strata.Images.Dockerfile.Fixes;

using System.Text.RegularExpressions;
using Strata.Core.Findings;

/// <summary>
/// The mechanical remedy of one rule: the edits that remove one of its findings from a Dockerfile. A fix only edits
/// what it is sure of; when the finding's instruction is not in a shape it understands it returns no edit and the
/// finding stays for a person.
/// </summary>
public abstract class DockerfileFix
{
    /// <summary>The rule whose findings this fixes.</summary>
    public abstract string RuleId { get; }

    /// <summary>What the fix does, e.g. "add --no-install-recommends".</summary>
    public abstract string Description { get; }

    /// <summary>The edits that fix <paramref name="finding"/>, or none.</summary>
    public abstract IReadOnlyList<TextEdit> Edits(FixSubject subject, Finding finding);
}

/// <summary>A Dockerfile being fixed: its text and its parsed form, and how to find the instruction or command a finding names.</summary>
public sealed partial class FixSubject(SourceText source, DockerfileDocument document)
{
    public SourceText Source { get; } = source;

    public DockerfileDocument Document { get; } = document;

    /// <summary>The evaluated instruction (an ONBUILD's trigger for a finding on an ONBUILD line) that <paramref name="finding"/> is on, and its stage.</summary>
    public (DockerfileStage? Stage, DockerfileInstruction? Instruction) InstructionAt(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.Location.Line is not int line)
        {
            return (null, null);
        }

        foreach (var stage in Document.Stages)
        {
            if (stage.From.StartLine == line)
            {
                return (stage, stage.From);
            }

            foreach (var instruction in stage.Instructions)
            {
                if (instruction.StartLine <= line && line <= instruction.EndLine)
                {
                    return (stage, instruction.Keyword == "ONBUILD" && instruction.Trigger is { } trigger ? trigger : instruction);
                }
            }
        }

        var global = Document.GlobalArguments.FirstOrDefault(i => i.StartLine <= line && line <= i.EndLine);
        return (null, global);
    }

    /// <summary>
    /// The commands of the RUN at the finding's line that start on that line and satisfy <paramref name="match"/>,
    /// with the offset in the text where each starts (null when it cannot be placed exactly).
    /// </summary>
    public IEnumerable<(DockerfileInstruction Run, ShellCommand Command, int? Offset)> CommandsAt(Finding finding, Func<ShellCommand, bool> match)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(match);
        var (_, run) = InstructionAt(finding);
        if (run is not { Keyword: "RUN", Script: { } script } || finding.Location.Line is not int line)
        {
            yield break;
        }

        // The commands on the finding's line; a rule that reports on the RUN's first line means any of its commands.
        var candidates = script.Commands.Where(c => script.LineOf(c) == line && match(c)).ToList();
        if (candidates.Count == 0 && line == run.StartLine)
        {
            candidates = [.. script.Commands.Where(match)];
        }

        foreach (var command in candidates)
        {
            yield return (run, command, Offset(script, command));
        }
    }

    /// <summary>Where <paramref name="command"/> of <paramref name="script"/> is written in the text: its fragment searched on its line.</summary>
    public int? Offset(ShellScript script, ShellCommand command)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(command);
        if (script.LineOf(command) is not int line)
        {
            return null;
        }

        var fragment = script.Fragment(command);
        var lineText = Source.Line(line);
        var at = lineText.IndexOf(fragment, StringComparison.Ordinal);
        if (at < 0)
        {
            // The command continues on the next line: its first word is enough to place it.
            var first = fragment.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
            at = first.Length == 0 ? -1 : lineText.IndexOf(first, StringComparison.Ordinal);
        }

        // Several commands with the same text on one line: the n-th of them.
        var same = script.Commands.Count(c => c.Index < command.Index && script.LineOf(c) == line && script.Fragment(c) == fragment);
        for (var i = 0; i < same && at >= 0; i++)
        {
            at = lineText.IndexOf(fragment, at + 1, StringComparison.Ordinal);
        }

        return at < 0 ? null : Source.LineStart(line) + at;
    }

    /// <summary>
    /// The offset just after the word <paramref name="word"/> (as a whole shell word) at or after <paramref name="from"/>
    /// and before <paramref name="limit"/>, or null.
    /// </summary>
    public int? AfterWord(int from, int limit, string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var text = Source.Text;
        limit = Math.Min(limit, text.Length);
        for (var at = text.IndexOf(word, from, StringComparison.Ordinal); at >= 0 && at + word.Length <= limit; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 ? ' ' : text[at - 1];
            var after = at + word.Length < text.Length ? text[at + word.Length] : ' ';
            if (IsBoundary(before) && IsBoundary(after))
            {
                return at + word.Length;
            }
        }

        return null;
    }

    /// <summary>Offset just after the last argument character of an instruction (before a trailing comment-free line end).</summary>
    public int EndOfArguments(DockerfileInstruction instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var lastLine = instruction.Heredocs.Count > 0 ? instruction.Heredocs[0].StartLine - 1 : instruction.EndLine;
        var end = Source.LineContentEnd(lastLine);
        while (end > Source.LineStart(lastLine) && char.IsWhiteSpace(Source.Text[end - 1]))
        {
            end--;
        }

        return end;
    }

    private static bool IsBoundary(char c) => char.IsWhiteSpace(c) || c is ';' or '&' or '|' or '(' or ')' or '\\' or '`' or '"' or '\'';

    [GeneratedRegex(@"^\s*", RegexOptions.CultureInvariant)]
    internal static partial Regex LeadingSpace();
}
