namespace Strata.Images.Dockerfile;

using System.Text;
using System.Text.RegularExpressions;

/// <summary>
/// Looks up a build variable (ARG or ENV) during substitution. Returns false when the name is not declared;
/// a declared variable whose value cannot be known statically (an ARG without default, which a build
/// argument may set) comes back with a null value.
/// </summary>
public delegate bool VariableLookup(string name, out string? value);

/// <summary>A word after substitution; <see cref="Unresolved"/> is true when it used a variable whose value is unknown here.</summary>
public readonly record struct ExpandedText(string Text, bool Unresolved);

/// <summary>
/// Quote removal and ARG/ENV substitution as BuildKit's Dockerfile shell lexer does it for FROM, COPY, ADD,
/// ENV, LABEL, ARG, USER, WORKDIR, EXPOSE, VOLUME and STOPSIGNAL: <c>$VAR</c>, <c>${VAR}</c>,
/// <c>${VAR:-word}</c>, <c>${VAR-word}</c>, <c>${VAR:+word}</c>, <c>${VAR+word}</c>, <c>${VAR:?msg}</c>,
/// <c>${VAR#glob}</c>, <c>${VAR##glob}</c>, <c>${VAR%glob}</c>, <c>${VAR%%glob}</c>, <c>${VAR/glob/text}</c>,
/// single and double quotes, and the escape character. It is not a shell: no globbing, no command substitution.
/// </summary>
public sealed class ShellLexer
{
    /// <summary>Longest result of one substitution; ENV A=$A$A repeated would otherwise grow exponentially.</summary>
    public const int MaxResultLength = 256 * 1024;

    /// <summary>Deepest nesting of ${…:-${…}} accepted.</summary>
    public const int MaxNesting = 32;

    /// <summary>Longest value the pattern forms (${VAR#glob} …) work on; longer values are left as they are.</summary>
    private const int MaxPatternSubject = 2048;

    private readonly char escape;

    public ShellLexer(char escape = '\\')
    {
        this.escape = escape;
    }

    /// <summary>The escape character (\\ or the one the escape directive sets).</summary>
    public char Escape => escape;

    /// <summary>Processes one word: quotes removed, variables substituted, nothing split.</summary>
    /// <exception cref="FormatException">An unterminated quote or <c>${</c>.</exception>
    public ExpandedText ProcessWord(string text, VariableLookup lookup)
    {
        var run = new Run(this, text, lookup);
        var words = run.Process(stopAt: null);
        return new ExpandedText(words.Joined, run.Unresolved);
    }

    /// <summary>Processes a list of words: whitespace outside quotes separates them, and so does whitespace inside an unquoted variable's value.</summary>
    public (IReadOnlyList<string> Words, bool Unresolved) ProcessWords(string text, VariableLookup lookup)
    {
        var run = new Run(this, text, lookup);
        var words = run.Process(stopAt: null);
        return (words.Words, run.Unresolved);
    }

    /// <summary>A lookup over nothing: every variable is undeclared.</summary>
    public static bool NoVariables(string name, out string? value)
    {
        value = null;
        return false;
    }

    private sealed class WordList
    {
        private readonly List<string> words = [];
        private readonly StringBuilder all = new();
        private readonly StringBuilder word = new();
        private bool inWord;

        public IReadOnlyList<string> Words
        {
            get
            {
                var result = new List<string>(words);
                if (inWord)
                {
                    result.Add(word.ToString());
                }

                return result;
            }
        }

        public string Joined => all.ToString();

        private void Grow(int length)
        {
            if (all.Length + length > MaxResultLength)
            {
                throw new FormatException($"a substitution result is longer than {MaxResultLength} characters");
            }
        }

        /// <summary>A character that splits words when it is whitespace (unquoted text, unquoted variable values).</summary>
        public void AddSplitting(char c)
        {
            Grow(1);
            all.Append(c);
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                return;
            }

            word.Append(c);
            inWord = true;
        }

        public void AddSplitting(string text)
        {
            foreach (var c in text)
            {
                AddSplitting(c);
            }
        }

        /// <summary>Text that belongs to the current word whatever it holds (quoted text, escaped characters).</summary>
        public void AddRaw(string text)
        {
            Grow(text.Length);
            all.Append(text);
            word.Append(text);
            inWord = true;
        }
    }

    private sealed class Run(ShellLexer lexer, string text, VariableLookup lookup)
    {
        private int position;

        public bool Unresolved { get; private set; }

        private char Escape => lexer.escape;

        private bool AtEnd => position >= text.Length;

        private char Peek => text[position];

        private int depth;

        public WordList Process(char? stopAt)
        {
            if (++depth > MaxNesting)
            {
                throw new FormatException($"substitutions nested more than {MaxNesting} deep in '{DockerfileParser.Quote(text, 60)}'");
            }

            try
            {
                return ProcessLevel(stopAt);
            }
            finally
            {
                depth--;
            }
        }

        private WordList ProcessLevel(char? stopAt)
        {
            var words = new WordList();
            while (!AtEnd)
            {
                var c = Peek;
                if (stopAt is char stop && c == stop)
                {
                    position++;
                    return words;
                }

                if (c == '\'')
                {
                    words.AddRaw(SingleQuoted());
                }
                else if (c == '"')
                {
                    words.AddRaw(DoubleQuoted());
                }
                else if (c == '$')
                {
                    words.AddSplitting(Dollar());
                }
                else
                {
                    position++;
                    if (c == Escape)
                    {
                        if (AtEnd)
                        {
                            // A lone escape at the end of a word is dropped, as BuildKit does.
                            break;
                        }

                        words.AddRaw(text[position].ToString());
                        position++;
                        continue;
                    }

                    words.AddSplitting(c);
                }
            }

            if (stopAt is char missing)
            {
                throw new FormatException($"missing '{missing}' in '{DockerfileParser.Quote(text, 60)}'");
            }

            return words;
        }

        private string SingleQuoted()
        {
            var end = text.IndexOf('\'', position + 1);
            if (end < 0)
            {
                throw new FormatException($"unterminated single quote in '{DockerfileParser.Quote(text, 60)}'");
            }

            var value = text[(position + 1)..end];
            position = end + 1;
            return value;
        }

        private string DoubleQuoted()
        {
            position++;
            var value = new StringBuilder();
            while (!AtEnd)
            {
                var c = Peek;
                if (c == '"')
                {
                    position++;
                    return value.ToString();
                }

                if (c == '$')
                {
                    value.Append(Dollar());
                    continue;
                }

                position++;
                if (c == Escape && !AtEnd && (Peek == '"' || Peek == '$' || Peek == Escape))
                {
                    c = Peek;
                    position++;
                }

                value.Append(c);
            }

            throw new FormatException($"unterminated double quote in '{DockerfileParser.Quote(text, 60)}'");
        }

        private string Dollar()
        {
            position++;
            if (AtEnd)
            {
                return "$";
            }

            if (Peek != '{')
            {
                var name = Name();
                return name.Length == 0 ? "$" : Value(name) ?? string.Empty;
            }

            position++;
            var braced = Name();
            if (braced.Length == 0)
            {
                throw new FormatException($"bad substitution in '{DockerfileParser.Quote(text, 60)}'");
            }

            if (AtEnd)
            {
                throw new FormatException($"missing '}}' in '{DockerfileParser.Quote(text, 60)}'");
            }

            var op = Peek;
            if (op == '}')
            {
                position++;
                return Value(braced) ?? string.Empty;
            }

            position++;
            var colon = false;
            if (op == ':' && !AtEnd && Peek is '-' or '+' or '?')
            {
                colon = true;
                op = Peek;
                position++;
            }

            switch (op)
            {
                case '-':
                case '+':
                case '?':
                {
                    var word = Process('}').Joined;
                    var declared = lookup(braced, out var current);
                    if (declared && current is null)
                    {
                        // Unknown at lint time: a build argument may set it. Take the likelier branch.
                        Unresolved = true;
                        return op == '-' ? word : string.Empty;
                    }

                    if (!declared)
                    {
                        Unresolved = true;
                    }

                    var set = declared && (!colon || current!.Length > 0);
                    return op switch
                    {
                        '-' => set ? current! : word,
                        '+' => set ? word : string.Empty,
                        _ => set ? current! : string.Empty,
                    };
                }

                case '#':
                case '%':
                {
                    var longest = !AtEnd && Peek == op;
                    if (longest)
                    {
                        position++;
                    }

                    var pattern = Process('}').Joined;
                    var value = Value(braced) ?? string.Empty;
                    if (value.Length > MaxPatternSubject)
                    {
                        Unresolved = true;
                        return value;
                    }

                    return Trim(value, pattern, fromStart: op == '#', longest);
                }

                case '/':
                {
                    var all = !AtEnd && Peek == '/';
                    if (all)
                    {
                        position++;
                    }

                    var pattern = Process('/').Joined;
                    var replacement = Process('}').Joined;
                    var value = Value(braced) ?? string.Empty;
                    if (pattern.Length == 0 || value.Length > MaxPatternSubject)
                    {
                        return value;
                    }

                    var regex = new Regex(GlobToRegex(pattern, greedy: true), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    return all ? regex.Replace(value, replacement.Replace("$", "$$", StringComparison.Ordinal)) : regex.Replace(value, replacement.Replace("$", "$$", StringComparison.Ordinal), 1);
                }

                default:
                    throw new FormatException($"unsupported modifier '{op}' in '{DockerfileParser.Quote(text, 60)}'");
            }
        }

        private string Name()
        {
            var start = position;
            if (!AtEnd && char.IsAsciiDigit(Peek))
            {
                // $1 and friends: positional parameters, always empty in a Dockerfile.
                while (!AtEnd && char.IsAsciiDigit(Peek))
                {
                    position++;
                }

                return text[start..position];
            }

            while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek == '_'))
            {
                position++;
            }

            return text[start..position];
        }

        private string? Value(string name)
        {
            if (!lookup(name, out var value) || value is null)
            {
                Unresolved = true;
                return null;
            }

            return value;
        }

        private static string Trim(string value, string pattern, bool fromStart, bool longest)
        {
            var glob = GlobToRegex(pattern, greedy: longest);
            var regex = new Regex(fromStart ? "^(?:" + glob + ")" : "(?:" + glob + ")$", RegexOptions.CultureInvariant | (fromStart ? RegexOptions.None : RegexOptions.RightToLeft), TimeSpan.FromSeconds(1));
            if (!fromStart && !longest)
            {
                // Shortest suffix: try the shortest candidates first.
                for (var start = value.Length; start >= 0; start--)
                {
                    if (Regex.IsMatch(value[start..], "^(?:" + glob + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                    {
                        return value[..start];
                    }
                }

                return value;
            }

            if (!fromStart)
            {
                for (var start = 0; start <= value.Length; start++)
                {
                    if (Regex.IsMatch(value[start..], "^(?:" + glob + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                    {
                        return value[..start];
                    }
                }

                return value;
            }

            var match = regex.Match(value);
            return match.Success ? value[match.Length..] : value;
        }

        private static string GlobToRegex(string glob, bool greedy)
        {
            var pattern = new StringBuilder();
            foreach (var c in glob)
            {
                pattern.Append(c switch
                {
                    '*' => greedy ? ".*" : ".*?",
                    '?' => ".",
                    _ => Regex.Escape(c.ToString()),
                });
            }

            return pattern.ToString();
        }
    }
}
