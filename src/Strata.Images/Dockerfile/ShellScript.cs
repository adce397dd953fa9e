namespace Strata.Images.Dockerfile;

using System.Text;

/// <summary>
/// A POSIX shell script (a RUN command) split into simple commands, good enough to analyse what it runs:
/// quotes and escapes respected, <c>&amp;&amp;</c>, <c>||</c>, <c>;</c>, <c>|</c>, <c>&amp;</c>, newlines and
/// parentheses separate commands, comments and here-document bodies skipped, redirections dropped.
/// Variables are not expanded (the shell does that at build time).
/// </summary>
public sealed class ShellScript
{
    private const int MaxLength = 1024 * 1024;

    private readonly string text;
    private readonly Func<int, int>? lineOf;

    private ShellScript(string text, IReadOnlyList<ShellCommand> commands, Func<int, int>? lineOf)
    {
        this.text = text;
        this.lineOf = lineOf;
        Commands = commands;
    }

    public IReadOnlyList<ShellCommand> Commands { get; }

    /// <summary>The commands grouped by pipeline (commands joined by <c>|</c>).</summary>
    public IEnumerable<IReadOnlyList<ShellCommand>> Pipelines => Commands.GroupBy(c => c.Pipeline).Select(g => (IReadOnlyList<ShellCommand>)[.. g]);

    /// <param name="script">The script text.</param>
    /// <param name="lineOf">Maps an offset in <paramref name="script"/> to the Dockerfile line it was written on, when known.</param>
    public static ShellScript Parse(string script, Func<int, int>? lineOf = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (script.Length > MaxLength)
        {
            script = script[..MaxLength];
        }

        return new ShellScript(script, new ScriptReader(script).Read(), lineOf);
    }

    /// <summary>The Dockerfile line where <paramref name="command"/> starts, when the script knows its lines.</summary>
    public int? LineOf(ShellCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return lineOf is null ? null : lineOf(Math.Clamp(command.Start, 0, text.Length));
    }

    /// <summary><paramref name="command"/> as written in the script (quotes and redirections kept), continuation escapes folded.</summary>
    public string Fragment(ShellCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var start = Math.Clamp(command.Start, 0, text.Length);
        var end = Math.Clamp(command.End, start, text.Length);
        var fragment = text[start..end].Trim();

        // Line continuations inside a here-document script are folded as the shell folds them.
        fragment = fragment.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);
        return fragment.Length == 0 ? command.ToString() : fragment;
    }

    /// <summary>Commands in this script that run <paramref name="program"/> (see <see cref="ShellCommand.Program"/>).</summary>
    public IEnumerable<ShellCommand> Running(params string[] program) => Commands.Where(c => program.Contains(c.Program, StringComparer.Ordinal));

    /// <summary>True when a <c>set -o pipefail</c> (or <c>set -eo pipefail</c> …) runs before <paramref name="command"/>.</summary>
    public bool PipefailSetBefore(ShellCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var candidate in Commands)
        {
            if (candidate.Index >= command.Index)
            {
                return false;
            }

            if (candidate.Program == "set" && ShellOptions.SetsPipefail(candidate.Arguments))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class ScriptReader(string text)
    {
        private readonly List<ShellCommand> commands = [];
        private readonly List<string> words = [];
        private readonly List<string> pendingHeredocs = [];
        private readonly StringBuilder word = new();
        private bool inWord;
        private int position;
        private int pipeline;
        private int pipelinePosition;
        private int commandStart;

        public List<ShellCommand> Read()
        {
            while (position < text.Length)
            {
                var c = text[position];
                if (!inWord && words.Count == 0 && c is not (' ' or '\t' or '\r' or '\n'))
                {
                    commandStart = position;
                }
                switch (c)
                {
                    case '\\':
                        if (position + 1 < text.Length && text[position + 1] == '\n')
                        {
                            position += 2;
                            continue;
                        }

                        word.Append(position + 1 < text.Length ? text[position + 1] : '\\');
                        inWord = true;
                        position += 2;
                        continue;
                    case '\'':
                        ReadSingleQuoted();
                        continue;
                    case '"':
                        ReadDoubleQuoted();
                        continue;
                    case '`':
                        ReadUntilClosing('`');
                        continue;
                    case '$' when position + 1 < text.Length && text[position + 1] == '(':
                        word.Append('$');
                        position++;
                        ReadBalanced();
                        continue;
                    case '$' when position + 1 < text.Length && text[position + 1] == '{':
                        word.Append('$');
                        position++;
                        ReadUntilClosing('}');
                        continue;
                    case '#' when !inWord:
                        while (position < text.Length && text[position] != '\n')
                        {
                            position++;
                        }

                        continue;
                    case ' ' or '\t' or '\r':
                        EndWord();
                        position++;
                        continue;
                    case '\n':
                        EndCommand("\n");
                        position++;
                        SkipHeredocBodies();
                        continue;
                    case ';' or '(' or ')':
                        EndCommand(c.ToString());
                        position++;
                        continue;
                    case '&':
                        if (Next(1) == '&')
                        {
                            EndCommand("&&");
                            position += 2;
                        }
                        else if (Next(1) == '>')
                        {
                            EndWord();
                            position += 2;
                            SkipRedirectTarget();
                        }
                        else
                        {
                            EndCommand("&");
                            position++;
                        }

                        continue;
                    case '|':
                        if (Next(1) == '|')
                        {
                            EndCommand("||");
                            position += 2;
                        }
                        else
                        {
                            EndCommand("|");
                            position += Next(1) == '&' ? 2 : 1;
                        }

                        continue;
                    case '<' or '>':
                        ReadRedirection();
                        continue;
                    default:
                        word.Append(c);
                        inWord = true;
                        position++;
                        continue;
                }
            }

            EndCommand(null);
            return commands;
        }

        private char Next(int offset) => position + offset < text.Length ? text[position + offset] : '\0';

        private void ReadSingleQuoted()
        {
            var end = text.IndexOf('\'', position + 1);
            end = end < 0 ? text.Length : end;
            word.Append(text, position + 1, end - position - 1);
            inWord = true;
            position = end + 1;
        }

        private void ReadDoubleQuoted()
        {
            position++;
            inWord = true;
            while (position < text.Length && text[position] != '"')
            {
                if (text[position] == '\\' && position + 1 < text.Length && text[position + 1] is '"' or '\\' or '$' or '`' or '\n')
                {
                    if (text[position + 1] != '\n')
                    {
                        word.Append(text[position + 1]);
                    }

                    position += 2;
                    continue;
                }

                word.Append(text[position]);
                position++;
            }

            position++;
        }

        /// <summary>Keeps <c>$( … )</c> in the word as written, nested parentheses and quotes included.</summary>
        private void ReadBalanced()
        {
            var depth = 0;
            var start = position;
            char? quote = null;
            for (; position < text.Length; position++)
            {
                var c = text[position];
                if (quote is not null)
                {
                    if (c == quote)
                    {
                        quote = null;
                    }

                    continue;
                }

                if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == '(')
                {
                    depth++;
                }
                else if (c == ')' && --depth == 0)
                {
                    position++;
                    break;
                }
            }

            word.Append(text, start, position - start);
            inWord = true;
        }

        private void ReadUntilClosing(char closing)
        {
            var start = position;
            position++;
            while (position < text.Length && text[position] != closing)
            {
                position++;
            }

            position = Math.Min(position + 1, text.Length);
            word.Append(text, start, position - start);
            inWord = true;
        }

        private void ReadRedirection()
        {
            // A file descriptor number just before the operator (2>) belongs to it, not to the command.
            if (inWord && word.Length > 0 && word.ToString().All(char.IsAsciiDigit))
            {
                word.Clear();
                inWord = false;
            }
            else
            {
                EndWord();
            }

            if (text[position] == '<' && Next(1) == '<' && Next(2) != '<')
            {
                position += 2;
                if (position < text.Length && text[position] == '-')
                {
                    position++;
                }

                var delimiter = ReadPlainWord();
                if (delimiter.Length > 0)
                {
                    pendingHeredocs.Add(delimiter);
                }

                return;
            }

            while (position < text.Length && text[position] is '<' or '>' or '&' or '|')
            {
                position++;
            }

            SkipRedirectTarget();
        }

        private void SkipRedirectTarget()
        {
            _ = ReadPlainWord();
        }

        /// <summary>Reads one word (quotes removed) without adding it to the command.</summary>
        private string ReadPlainWord()
        {
            while (position < text.Length && text[position] is ' ' or '\t')
            {
                position++;
            }

            var value = new StringBuilder();
            while (position < text.Length && text[position] is not (' ' or '\t' or '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>'))
            {
                var c = text[position];
                if (c is '\'' or '"')
                {
                    var end = text.IndexOf(c, position + 1);
                    end = end < 0 ? text.Length : end;
                    value.Append(text, position + 1, end - position - 1);
                    position = end + 1;
                    continue;
                }

                value.Append(c);
                position++;
            }

            return value.ToString();
        }

        private void SkipHeredocBodies()
        {
            foreach (var delimiter in pendingHeredocs)
            {
                while (position < text.Length)
                {
                    var end = text.IndexOf('\n', position);
                    var line = (end < 0 ? text[position..] : text[position..end]).TrimStart('\t');
                    position = end < 0 ? text.Length : end + 1;
                    if (line == delimiter)
                    {
                        break;
                    }
                }
            }

            pendingHeredocs.Clear();
        }

        private void EndWord()
        {
            if (inWord)
            {
                words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
        }

        private void EndCommand(string? separator)
        {
            EndWord();
            if (words.Count > 0)
            {
                commands.Add(new ShellCommand([.. words], commands.Count, pipeline, pipelinePosition, separator) { Start = commandStart, End = position });
                words.Clear();
                if (separator == "|")
                {
                    pipelinePosition++;
                    return;
                }
            }
            else if (separator == "|")
            {
                return;
            }

            pipeline++;
            pipelinePosition = 0;
        }
    }
}

/// <summary>
/// One simple command of a <see cref="ShellScript"/>.
/// </summary>
/// <param name="Words">The words as the shell would see them before expansion: quotes removed, redirections dropped.</param>
/// <param name="Index">Position among the script's commands.</param>
/// <param name="Pipeline">Commands joined by <c>|</c> share this number.</param>
/// <param name="PipelinePosition">Zero for the first command of its pipeline.</param>
/// <param name="Separator">The operator after the command (<c>&amp;&amp;</c>, <c>|</c>, <c>;</c>, newline …), null at the end.</param>
public sealed record ShellCommand(IReadOnlyList<string> Words, int Index, int Pipeline, int PipelinePosition, string? Separator)
{
    /// <summary>Offset in the script where the command starts.</summary>
    public int Start { get; init; }

    /// <summary>Offset in the script just after the command (before its separator).</summary>
    public int End { get; init; }

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "fi", "done" };

    private static readonly HashSet<string> Wrappers = new(StringComparer.Ordinal) { "sudo", "env", "exec", "command", "nice", "nohup", "doas", "su-exec", "gosu", "eatmydata", "stdbuf" };

    /// <summary>Index of the word that names the program run, after reserved words, assignments and wrappers (sudo, env …).</summary>
    public int ProgramIndex
    {
        get
        {
            var i = 0;
            while (i < Words.Count)
            {
                var w = Words[i];
                if (Reserved.Contains(w) || IsAssignment(w))
                {
                    i++;
                    continue;
                }

                var name = BaseName(w);
                if (Wrappers.Contains(name))
                {
                    i++;
                    i = SkipWrapperOptions(name, i);
                    continue;
                }

                return i;
            }

            return Words.Count;
        }
    }

    /// <summary>The program that runs, by file name: <c>/usr/bin/apt-get</c> and <c>sudo apt-get</c> are both <c>apt-get</c>; empty for a bare assignment.</summary>
    public string Program => ProgramIndex < Words.Count ? BaseName(Words[ProgramIndex]) : string.Empty;

    /// <summary>The words after the program.</summary>
    public IReadOnlyList<string> Arguments => ProgramIndex < Words.Count ? [.. Words.Skip(ProgramIndex + 1)] : [];

    /// <summary>The first word as written, before wrappers are skipped (e.g. <c>sudo</c>).</summary>
    public string FirstProgram
    {
        get
        {
            foreach (var w in Words)
            {
                if (!Reserved.Contains(w) && !IsAssignment(w))
                {
                    return BaseName(w);
                }
            }

            return string.Empty;
        }
    }

    /// <summary>The first argument that is not an option, skipping the values of <paramref name="optionsWithValue"/>.</summary>
    public string? Subcommand(params string[] optionsWithValue)
    {
        var arguments = Arguments;
        for (var i = 0; i < arguments.Count; i++)
        {
            var a = arguments[i];
            if (a.StartsWith('-'))
            {
                if (optionsWithValue.Contains(a, StringComparer.Ordinal))
                {
                    i++;
                }

                continue;
            }

            return a;
        }

        return null;
    }

    /// <summary>True when a long option (<c>--name</c> or <c>--name=…</c>) or a short flag (alone or in a cluster like <c>-qy</c>) is present.</summary>
    public bool HasOption(string? longName, char? shortName = null, string shortValueOptions = "")
    {
        foreach (var a in Arguments)
        {
            if (a == "--")
            {
                break;
            }

            if (longName is not null && (a == "--" + longName || a.StartsWith("--" + longName + "=", StringComparison.Ordinal)))
            {
                return true;
            }

            if (shortName is char s && a.Length > 1 && a[0] == '-' && a[1] != '-')
            {
                foreach (var c in a.AsSpan(1))
                {
                    if (c == s)
                    {
                        return true;
                    }

                    if (shortValueOptions.Contains(c, StringComparison.Ordinal))
                    {
                        break;
                    }
                }
            }
        }

        return false;
    }

    public override string ToString() => string.Join(' ', Words);

    public static string BaseName(string word)
    {
        var slash = word.LastIndexOf('/');
        return slash >= 0 ? word[(slash + 1)..] : word;
    }

    private static bool IsAssignment(string word)
    {
        var equals = word.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return false;
        }

        for (var i = 0; i < equals; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(word[i]) || word[i] == '_') || (i == 0 && char.IsAsciiDigit(word[i])))
            {
                return false;
            }
        }

        return true;
    }

    private int SkipWrapperOptions(string wrapper, int i)
    {
        while (i < Words.Count)
        {
            var w = Words[i];
            if (IsAssignment(w))
            {
                i++;
                continue;
            }

            if (!w.StartsWith('-'))
            {
                break;
            }

            i++;

            // sudo -u user, nice -n 10, env -u NAME, stdbuf -o L: options that take a value.
            if (w is "-u" or "-g" or "-n" or "-C" or "-h" or "-p" or "-o" or "-e" or "-i" && wrapper is "sudo" or "nice" or "env" or "stdbuf" or "doas")
            {
                i++;
            }
        }

        // gosu and su-exec take the user first.
        if (wrapper is "gosu" or "su-exec" && i < Words.Count)
        {
            i++;
        }

        return i;
    }
}

/// <summary>What shell options a SHELL instruction or a <c>set</c> command turns on.</summary>
public static class ShellOptions
{
    /// <summary>True when <c>-o pipefail</c> appears, alone or after a cluster such as <c>-euo</c>.</summary>
    public static bool SetsPipefail(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        for (var i = 1; i < arguments.Count; i++)
        {
            var previous = arguments[i - 1];
            if (arguments[i] == "pipefail" && previous.Length > 1 && previous[0] == '-' && previous[1] != '-' && previous.Contains('o', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for shells whose scripts <see cref="ShellScript"/> can read: sh, bash, ash, dash, zsh, ksh, busybox.</summary>
    public static bool IsPosixShell(string program) => ShellCommand.BaseName(program) is "sh" or "bash" or "ash" or "dash" or "zsh" or "ksh" or "mksh" or "busybox";
}
