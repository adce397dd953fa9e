namespace Strata.Images.Dockerfile;

using System.Text;
using System.Text.RegularExpressions;
using Strata.Core;

/// <summary>
/// Splits a parsed Dockerfile into stages and evaluates each instruction as the builder does: ARG/ENV
/// substitution with BuildKit's scope rules (ARGs before the first FROM are global and only usable in FROM
/// lines unless a stage re-declares them; ARG and ENV apply from their line to the end of the stage; ENV wins
/// over ARG; a stage built FROM another inherits its ENV and SHELL), ENV/LABEL/ARG key=value pairs (and the
/// legacy <c>ENV key value</c> form), the SHELL in effect and the shell commands of each RUN.
/// </summary>
internal static partial class DockerfileEvaluator
{
    /// <summary>Build arguments BuildKit predefines in the global scope; their values depend on the build.</summary>
    private static readonly string[] PlatformArguments =
    [
        "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    ];

    public static DockerfileDocument Evaluate(DockerfileDocument document)
    {
        var file = document.File;
        var lexer = new ShellLexer(document.EscapeCharacter);
        var global = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in PlatformArguments)
        {
            global[name] = null;
        }

        var globalArguments = new List<DockerfileInstruction>();
        var position = 0;
        var instructions = document.Instructions;
        while (position < instructions.Count && instructions[position].Keyword != "FROM")
        {
            var instruction = instructions[position];
            if (instruction.Keyword != "ARG")
            {
                throw StrataException.BadInput($"{file}:{instruction.StartLine}: {instruction.Keyword} before the first FROM (only ARG may come before FROM).");
            }

            var evaluated = EvaluatePairs(instruction, lexer, Lookup(global), file);
            foreach (var pair in evaluated.Pairs)
            {
                global[pair.Key] = pair.RawValue is null ? global.GetValueOrDefault(pair.Key) : pair.Unresolved ? null : pair.Value;
            }

            globalArguments.Add(evaluated);
            position++;
        }

        if (position >= instructions.Count)
        {
            throw StrataException.BadInput($"{file}: no FROM instruction; this is not a Dockerfile.");
        }

        var stages = new List<DockerfileStage>();
        while (position < instructions.Count)
        {
            var from = instructions[position++];
            var body = new List<DockerfileInstruction>();
            while (position < instructions.Count && instructions[position].Keyword != "FROM")
            {
                body.Add(instructions[position++]);
            }

            stages.Add(EvaluateStage(stages, from, body, global, lexer, file));
        }

        return document with { GlobalArguments = globalArguments, Stages = stages };
    }

    private static DockerfileStage EvaluateStage(List<DockerfileStage> earlier, DockerfileInstruction from, List<DockerfileInstruction> body, Dictionary<string, string?> global, ShellLexer lexer, string file)
    {
        var globalLookup = Lookup(global);
        var unresolved = false;
        var words = new List<string>();
        foreach (var word in SplitWords(from.Arguments, lexer.Escape))
        {
            var expanded = Expand(lexer, word, globalLookup, from, file);
            unresolved |= expanded.Unresolved;
            words.Add(expanded.Text);
        }

        if (words.Count is not (1 or 3) || (words.Count == 3 && !string.Equals(words[1], "AS", StringComparison.OrdinalIgnoreCase)))
        {
            throw StrataException.BadInput($"{file}:{from.StartLine}: FROM takes an image and optionally AS name (FROM image [AS name]).");
        }

        string? name = null;
        if (words.Count == 3)
        {
            name = words[2].ToLowerInvariant();
            if (!StageNamePattern().IsMatch(name))
            {
                throw StrataException.BadInput($"{file}:{from.StartLine}: invalid stage name '{DockerfileParser.Quote(words[2])}': it must start with a letter and hold only letters, digits, '-', '_' and '.'.");
            }
        }

        var flags = ExpandFlags(from, lexer, globalLookup, file, ref unresolved);
        var baseStage = earlier.LastOrDefault(s => s.Name is not null && string.Equals(s.Name, words[0], StringComparison.OrdinalIgnoreCase));
        var env = baseStage is null ? new Dictionary<string, string?>(StringComparer.Ordinal) : new Dictionary<string, string?>(baseStage.Environment, StringComparer.Ordinal);
        var unknownEnv = baseStage is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(baseStage.UnresolvedEnvironment, StringComparer.Ordinal);
        var args = new Dictionary<string, string?>(StringComparer.Ordinal);
        var shell = baseStage?.Shell ?? DockerfileStage.DefaultShell;

        bool StageLookup(string variable, out string? value)
        {
            if (env.TryGetValue(variable, out value) || args.TryGetValue(variable, out value))
            {
                if (unknownEnv.Contains(variable))
                {
                    value = null;
                }

                return true;
            }

            value = null;
            return false;
        }

        var evaluated = new List<DockerfileInstruction>();
        foreach (var instruction in body)
        {
            var result = Evaluate(instruction, lexer, StageLookup, shell, file);
            switch (instruction.Keyword)
            {
                case "ARG":
                    foreach (var pair in result.Pairs)
                    {
                        args[pair.Key] = pair.RawValue is null ? global.GetValueOrDefault(pair.Key) : pair.Unresolved ? null : pair.Value;
                    }

                    break;
                case "ENV":
                    foreach (var pair in result.Pairs)
                    {
                        env[pair.Key] = pair.Value;
                        if (pair.Unresolved)
                        {
                            unknownEnv.Add(pair.Key);
                        }
                        else
                        {
                            unknownEnv.Remove(pair.Key);
                        }
                    }

                    break;
                case "SHELL":
                    shell = result.JsonArguments ?? throw StrataException.BadInput($"{file}:{instruction.StartLine}: SHELL requires its arguments in JSON form, e.g. SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"].");
                    break;
            }

            evaluated.Add(result);
        }

        return new DockerfileStage(earlier.Count, words[0], name, flags.FirstOrDefault(f => f.Key == "platform").Value, @from with { Flags = flags, Words = words, Unresolved = unresolved }, evaluated)
        {
            BaseStage = baseStage,
            BaseImageUnresolved = unresolved,
            Environment = env,
            UnresolvedEnvironment = unknownEnv,
            Shell = shell,
        };
    }

    private static DockerfileInstruction Evaluate(DockerfileInstruction instruction, ShellLexer lexer, VariableLookup lookup, IReadOnlyList<string> shell, string file)
    {
        var unresolved = false;
        switch (instruction.Keyword)
        {
            case "ARG":
            case "ENV":
            case "LABEL":
                return EvaluatePairs(instruction, lexer, lookup, file);
            case "COPY":
            case "ADD":
            case "VOLUME":
            {
                var flags = ExpandFlags(instruction, lexer, lookup, file, ref unresolved);
                var source = instruction.JsonArguments ?? SplitWords(instruction.Arguments, lexer.Escape);
                var words = new List<string>();
                foreach (var word in source)
                {
                    var expanded = Expand(lexer, word, lookup, instruction, file);
                    unresolved |= expanded.Unresolved;
                    words.Add(expanded.Text);
                }

                return instruction with { Flags = flags, Words = words, Unresolved = unresolved };
            }

            case "EXPOSE":
            {
                var words = new List<string>();
                foreach (var word in SplitWords(instruction.Arguments, lexer.Escape))
                {
                    var expanded = Expand(lexer, word, lookup, instruction, file);
                    unresolved |= expanded.Unresolved;
                    words.Add(expanded.Text);
                }

                return instruction with { Words = words, Unresolved = unresolved };
            }

            case "USER":
            case "WORKDIR":
            case "STOPSIGNAL":
            case "MAINTAINER":
            {
                var expanded = instruction.Keyword == "MAINTAINER" ? new ExpandedText(instruction.Arguments, false) : Expand(lexer, instruction.Arguments, lookup, instruction, file);
                return instruction with { Words = [expanded.Text], Unresolved = expanded.Unresolved };
            }

            case "RUN":
            {
                var flags = ExpandFlags(instruction, lexer, lookup, file, ref unresolved);
                var (script, effectiveShell) = ReadScript(instruction, shell);
                return instruction with { Flags = flags, Shell = effectiveShell, Script = script, Unresolved = unresolved };
            }

            case "ONBUILD" when instruction.Trigger is { } trigger:
            {
                // The trigger runs in images built FROM this one; evaluated here with what this stage knows, so its
                // RUN can be linted. A trigger the child build would refuse is kept as written.
                try
                {
                    return instruction with { Shell = shell, Trigger = Evaluate(trigger, lexer, lookup, shell, file) };
                }
                catch (StrataException)
                {
                    return instruction with { Shell = shell };
                }
            }

            default:
                return instruction with { Shell = shell };
        }
    }

    /// <summary>
    /// Splits shell-form arguments into words on whitespace outside quotes, quotes kept for the lexer: a quoted path
    /// with spaces (<c>COPY a "C:\Program Files\Foo"</c>) stays one word, as hadolint and Windows Dockerfiles expect.
    /// </summary>
    internal static IReadOnlyList<string> SplitWords(string arguments, char escape)
    {
        var words = new List<string>();
        var start = -1;
        char? quote = null;
        for (var i = 0; i < arguments.Length; i++)
        {
            var c = arguments[i];
            if (quote is null && char.IsWhiteSpace(c))
            {
                if (start >= 0)
                {
                    words.Add(arguments[start..i]);
                    start = -1;
                }

                continue;
            }

            if (start < 0)
            {
                start = i;
            }

            if (c == escape && quote != '\'' && i + 1 < arguments.Length && (quote is null || arguments[i + 1] == '"' || arguments[i + 1] == escape || arguments[i + 1] == '$'))
            {
                i++;
            }
            else if (quote is null && c is '"' or '\'')
            {
                // A quote that never closes is left to the lexer (which reports it); splitting goes on as if unquoted.
                quote = arguments.IndexOf(c, i + 1) >= 0 ? c : null;
            }
            else if (c == quote)
            {
                quote = null;
            }
        }

        if (start >= 0)
        {
            words.Add(arguments[start..]);
        }

        return words;
    }

    /// <summary>The shell commands a RUN runs, and the shell that runs them.</summary>
    private static (ShellScript? Script, IReadOnlyList<string> Shell) ReadScript(DockerfileInstruction run, IReadOnlyList<string> shell)
    {
        if (run.JsonArguments is { } exec)
        {
            if (exec.Count >= 3 && ShellOptions.IsPosixShell(exec[0]))
            {
                var c = -1;
                for (var i = 1; i < exec.Count - 1; i++)
                {
                    if (exec[i].Length > 1 && exec[i][0] == '-' && exec[i][1] != '-' && exec[i].EndsWith('c'))
                    {
                        c = i;
                        break;
                    }
                }

                if (c > 0)
                {
                    return (ShellScript.Parse(exec[c + 1]), [.. exec.Take(c + 1)]);
                }
            }

            return (exec.Count == 0 ? null : ShellScript.Parse(string.Join(' ', exec.Select(QuoteForShell))), shell);
        }

        if (shell.Count == 0 || !ShellOptions.IsPosixShell(shell[0]))
        {
            return (null, shell);
        }

        // Here-document markers are blanked, not removed, so offsets in the script still match the arguments.
        var arguments = run.Heredocs.Count == 0 ? run.Arguments : HeredocWord().Replace(run.Arguments, m => new string(' ', m.Length));
        var text = new StringBuilder(arguments);
        var bodies = new List<(int Offset, DockerfileHeredoc Heredoc)>();
        if (run.Heredocs.Count > 0)
        {
            // A here-document is the script when the command is only the here-document (the builder runs it with
            // the shell, or its #! interpreter) or a shell reading it from stdin (bash <<EOF); else it is data.
            var command = arguments.Trim();
            var commandProgram = command.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            foreach (var heredoc in run.Heredocs)
            {
                var isScript = commandProgram is null ? Interpreter(heredoc.Body) is not { } interpreter || ShellOptions.IsPosixShell(interpreter) : ShellOptions.IsPosixShell(commandProgram);
                if (isScript)
                {
                    text.Append('\n');
                    bodies.Add((text.Length, heredoc));
                    text.Append(heredoc.Body);
                }
            }
        }

        var script = text.ToString();
        int LineOf(int offset)
        {
            for (var i = bodies.Count - 1; i >= 0; i--)
            {
                var (start, heredoc) = bodies[i];
                if (offset >= start)
                {
                    return heredoc.StartLine + script.AsSpan(start, Math.Min(offset, script.Length) - start).Count('\n');
                }
            }

            return run.LineOfArgumentOffset(offset);
        }

        return (ShellScript.Parse(script, LineOf), shell);
    }

    /// <summary>The program a #! line names (through /usr/bin/env), or null without one.</summary>
    private static string? Interpreter(string body)
    {
        if (!body.StartsWith("#!", StringComparison.Ordinal))
        {
            return null;
        }

        var end = body.IndexOf('\n', StringComparison.Ordinal);
        var words = body[2..(end < 0 ? body.Length : end)].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return string.Empty;
        }

        return words[0].EndsWith("/env", StringComparison.Ordinal) ? words.Skip(1).FirstOrDefault(w => !w.StartsWith('-')) ?? string.Empty : words[0];
    }

    private static string QuoteForShell(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static DockerfileInstruction EvaluatePairs(DockerfileInstruction instruction, ShellLexer lexer, VariableLookup lookup, string file)
    {
        var words = DockerfileParser.SplitKeepingQuotes(instruction.Arguments, lexer.Escape);
        var pairs = new List<DockerfileKeyValue>();
        var unresolved = false;
        if (instruction.Keyword is "ENV" or "LABEL" && words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal))
        {
            // Legacy form: ENV key value (the value is the rest of the line).
            var parts = WhitespacePattern().Split(instruction.Arguments.Trim(), 2);
            if (parts.Length < 2)
            {
                throw StrataException.BadInput($"{file}:{instruction.StartLine}: {instruction.Keyword} {DockerfileParser.Quote(parts[0])} has no value (use {instruction.Keyword} key=value).");
            }

            var value = Expand(lexer, parts[1], lookup, instruction, file);
            return instruction with { Pairs = [new DockerfileKeyValue(Unquoted(lexer, parts[0], instruction, file), value.Text, parts[1]) { Unresolved = value.Unresolved }], Unresolved = value.Unresolved };
        }

        foreach (var word in words)
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (instruction.Keyword != "ARG")
                {
                    throw StrataException.BadInput($"{file}:{instruction.StartLine}: {instruction.Keyword} '{DockerfileParser.Quote(word)}' must have the form name=value.");
                }

                pairs.Add(new DockerfileKeyValue(word, null, null));
                continue;
            }

            var key = Unquoted(lexer, word[..equals], instruction, file);
            if (key.Length == 0)
            {
                throw StrataException.BadInput($"{file}:{instruction.StartLine}: {instruction.Keyword} names can not be blank.");
            }

            var raw = word[(equals + 1)..];
            var expanded = Expand(lexer, raw, lookup, instruction, file);
            unresolved |= expanded.Unresolved;
            pairs.Add(new DockerfileKeyValue(key, expanded.Text, raw) { Unresolved = expanded.Unresolved });
        }

        return instruction with { Pairs = pairs, Unresolved = unresolved };
    }

    private static string Unquoted(ShellLexer lexer, string word, DockerfileInstruction instruction, string file) =>
        Expand(lexer, word, ShellLexer.NoVariables, instruction, file).Text;

    private static List<KeyValuePair<string, string?>> ExpandFlags(DockerfileInstruction instruction, ShellLexer lexer, VariableLookup lookup, string file, ref bool unresolved)
    {
        var flags = new List<KeyValuePair<string, string?>>();
        foreach (var flag in instruction.Flags)
        {
            if (flag.Value is null)
            {
                flags.Add(flag);
                continue;
            }

            var expanded = Expand(lexer, flag.Value, lookup, instruction, file);
            unresolved |= expanded.Unresolved;
            flags.Add(new KeyValuePair<string, string?>(flag.Key, expanded.Text));
        }

        return flags;
    }

    private static ExpandedText Expand(ShellLexer lexer, string text, VariableLookup lookup, DockerfileInstruction instruction, string file)
    {
        try
        {
            return lexer.ProcessWord(text, lookup);
        }
        catch (FormatException e)
        {
            // A Windows path ending in a backslash before its closing quote (WORKDIR "C:\", COPY a "C:\dir\") escapes that
            // quote for the lexer; hadolint and Windows users read the backslash as the path's, so does the lint.
            var windows = text.Replace(lexer.Escape + "\"", lexer.Escape.ToString() + lexer.Escape + "\"", StringComparison.Ordinal);
            if (lexer.Escape == '\\' && windows != text)
            {
                try
                {
                    return lexer.ProcessWord(windows, lookup);
                }
                catch (FormatException)
                {
                }
            }

            throw StrataException.BadInput($"{file}:{instruction.StartLine}: {instruction.Keyword}: {e.Message}.");
        }
        catch (RegexMatchTimeoutException)
        {
            throw StrataException.BadInput($"{file}:{instruction.StartLine}: {instruction.Keyword}: a substitution pattern is too costly to evaluate.");
        }
    }

    private static VariableLookup Lookup(Dictionary<string, string?> scope) => (string name, out string? value) => scope.TryGetValue(name, out value);

    [GeneratedRegex(@"^[a-z][a-z0-9\-_\.]*$", RegexOptions.CultureInvariant)]
    private static partial Regex StageNamePattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@"(?<=^|\s)\d*<<-?(""[^""]*""|'[^']*'|[^\s<>]+)", RegexOptions.CultureInvariant)]
    private static partial Regex HeredocWord();
}
