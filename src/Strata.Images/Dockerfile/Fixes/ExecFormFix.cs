namespace Strata.Images.Dockerfile.Fixes;

using Strata.Core.Findings;

/// <summary>
/// DKF-054: <c>CMD node server.js</c> becomes <c>CMD ["node", "server.js"]</c>, so the program is the container's
/// process and receives its signals. Only for a one-line CMD or ENTRYPOINT that is one simple command with nothing
/// the shell would expand or interpret (variables, globs, redirections, pipes, lists): there the JSON form runs exactly
/// what the shell ran. A leading <c>exec</c> is dropped.
/// </summary>
public sealed class ExecFormFix : DockerfileFix
{
    private static readonly System.Buffers.SearchValues<char> ShellSyntax = System.Buffers.SearchValues.Create("$`*?[~|&;<>()#\\{}!\n\r");

    public override string RuleId => "DKF-054";

    public override string Description => "write CMD/ENTRYPOINT in JSON (exec) form";

    public override IReadOnlyList<TextEdit> Edits(FixSubject subject, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(finding);
        var (_, instruction) = subject.InstructionAt(finding);
        if (instruction is not { Keyword: "CMD" or "ENTRYPOINT", IsExecForm: false } || instruction.StartLine != instruction.EndLine
            || instruction.Trigger is not null || instruction.Arguments.AsSpan().IndexOfAny(ShellSyntax) >= 0 || instruction.Shell is not ["/bin/sh", "-c"])
        {
            return [];
        }

        var script = ShellScript.Parse(instruction.Arguments);
        if (script.Commands is not [var command] || command.Separator is not null || command.Words.Count == 0
            || command.Words[0].Contains('=', StringComparison.Ordinal))
        {
            return [];
        }

        var words = command.Words[0] == "exec" ? command.Words.Skip(1).ToList() : [.. command.Words];
        if (words.Count == 0)
        {
            return [];
        }

        var source = subject.Source;
        var line = source.Line(instruction.StartLine);
        var at = line.IndexOf(instruction.Arguments, StringComparison.Ordinal);
        if (at < 0)
        {
            return [];
        }

        // Backslashes and control characters were refused above: a double quote is all there is to escape.
        var json = "[" + string.Join(", ", words.Select(w => "\"" + w.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "]";
        return [new TextEdit(source.LineStart(instruction.StartLine) + at, instruction.Arguments.Length, json)];
    }
}
