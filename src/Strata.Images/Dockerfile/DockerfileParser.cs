namespace Strata.Images.Dockerfile;

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Secrets;

/// <summary>
/// Parses Dockerfiles and Containerfiles as BuildKit reads them: parser directives (escape, syntax, check),
/// comments, line continuations (comment and blank lines inside skipped), here-documents (several per line,
/// quoted delimiters, &lt;&lt;- tab stripping), flags, exec-form JSON arguments and ONBUILD triggers; then
/// evaluates the stages (<see cref="DockerfileEvaluator"/>). Errors name file:line.
/// </summary>
public static partial class DockerfileParser
{
    /// <summary>Largest Dockerfile parsed: 4 MiB.</summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    /// <summary>Most instructions in one Dockerfile.</summary>
    public const int MaxInstructions = 20_000;

    private static readonly HashSet<string> HeredocKeywords = new(StringComparer.Ordinal) { "RUN", "COPY", "ADD" };

    public static DockerfileDocument Load(string file) => Parse(BoundedFile.ReadAllText(file, MaxBytes, "a Dockerfile", allowStandardInput: true), file);

    public static DockerfileDocument Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            throw StrataException.BadInput($"{file}: {text.Length} characters is more than the {MaxBytes} allowed for a Dockerfile.");
        }

        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var escape = '\\';
        string? syntax = null;
        var index = 0;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        // Parser directives: only at the very top, before any comment, blank line or instruction. The first
        // line that is not a known directive ends them (an unknown one is just a comment).
        while (index < lines.Length)
        {
            var match = DirectivePattern().Match(lines[index]);
            var name = match.Success ? match.Groups[1].Value.ToLowerInvariant() : null;
            if (name is not ("escape" or "syntax" or "check"))
            {
                break;
            }

            if (!seen.Add(name))
            {
                throw StrataException.BadInput($"{file}:{index + 1}: only one {name} parser directive can be used.");
            }

            var value = match.Groups[2].Value;
            if (name == "escape")
            {
                if (value is not ("\\" or "`"))
                {
                    throw StrataException.BadInput($"{file}:{index + 1}: invalid escape directive '{Quote(value)}' (only \\ and ` are allowed).");
                }

                escape = value[0];
            }
            else if (name == "syntax")
            {
                syntax = value;
            }

            index++;
        }

        var instructions = new List<DockerfileInstruction>();
        while (index < lines.Length)
        {
            var trimmed = lines[index].TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                index++;
                continue;
            }

            var startLine = index + 1;
            var logical = new StringBuilder();
            var original = new StringBuilder();
            var lineStarts = new List<(int Offset, int Line)>();
            var first = true;
            while (true)
            {
                var current = lines[index];
                lineStarts.Add((logical.Length, index + 1));
                original.Append(current);
                var content = first ? current.TrimStart() : current;
                first = false;
                index++;
                if (EndsWithContinuation(content, escape, out var kept) && index < lines.Length)
                {
                    logical.Append(kept);
                    original.Append('\n');

                    // Comment and empty lines inside a continuation are skipped, as BuildKit does.
                    while (index < lines.Length && (lines[index].TrimStart().StartsWith('#') || lines[index].Trim().Length == 0))
                    {
                        original.Append(lines[index]).Append('\n');
                        index++;
                    }

                    if (index >= lines.Length)
                    {
                        break;
                    }

                    continue;
                }

                logical.Append(EndsWithContinuation(content, escape, out var last) ? last : content);
                break;
            }

            var logicalText = logical.ToString();
            var instruction = ParseInstruction(logicalText.Trim(), startLine, index, original.ToString().TrimEnd('\n'), file);
            instruction = WithArgumentLines(instruction, logicalText.TrimEnd(), lineStarts);
            var heredocKeyword = instruction.Trigger?.Keyword ?? instruction.Keyword;
            var heredocSource = instruction.Trigger ?? instruction;
            if (HeredocKeywords.Contains(heredocKeyword) && !heredocSource.IsExecForm && heredocSource.Arguments.Contains("<<", StringComparison.Ordinal))
            {
                var heredocs = new List<DockerfileHeredoc>();
                foreach (var (delimiter, stripTabs, expand) in HeredocMarkers(heredocSource.Arguments))
                {
                    var body = new StringBuilder();
                    var bodyStart = index + 1;
                    var closed = false;
                    while (index < lines.Length)
                    {
                        var bodyLine = stripTabs ? lines[index].TrimStart('\t') : lines[index];
                        index++;
                        if (bodyLine == delimiter)
                        {
                            closed = true;
                            break;
                        }

                        body.Append(bodyLine).Append('\n');
                    }

                    if (!closed)
                    {
                        throw StrataException.BadInput($"{file}:{startLine}: here-document <<{delimiter} is not closed.");
                    }

                    heredocs.Add(new DockerfileHeredoc(delimiter, body.ToString(), bodyStart, expand, stripTabs));
                }

                if (heredocs.Count > 0)
                {
                    instruction = instruction.Trigger is { } trigger
                        ? instruction with { Trigger = trigger with { Heredocs = heredocs, EndLine = index }, EndLine = index }
                        : instruction with { Heredocs = heredocs, EndLine = index };
                }
            }

            instructions.Add(instruction);
            if (instructions.Count > MaxInstructions)
            {
                throw StrataException.BadInput($"{file}:{startLine}: more than {MaxInstructions} instructions.");
            }
        }

        var document = new DockerfileDocument(file, escape, instructions) { Syntax = syntax };
        return DockerfileEvaluator.Evaluate(document);
    }

    /// <summary>
    /// Records on which physical line each part of the arguments was written (continuation lines are joined
    /// into one logical line), so findings about a command inside a long RUN can point at its own line.
    /// </summary>
    private static DockerfileInstruction WithArgumentLines(DockerfileInstruction instruction, string logical, List<(int Offset, int Line)> lineStarts)
    {
        IReadOnlyList<(int Offset, int Line)> Relative(string arguments)
        {
            if (lineStarts.Count < 2 || arguments.Length == 0 || !logical.EndsWith(arguments, StringComparison.Ordinal))
            {
                return [];
            }

            var start = logical.Length - arguments.Length;
            return [.. lineStarts.Select(l => (l.Offset - start, l.Line))];
        }

        var result = instruction with { ArgumentLines = Relative(instruction.Arguments) };
        return instruction.Trigger is { } trigger ? result with { Trigger = trigger with { ArgumentLines = Relative(trigger.Arguments) } } : result;
    }

    /// <summary>
    /// The here-documents an instruction opens, in order: every shell word of the form
    /// <c>[n]&lt;&lt;[-]WORD</c> (quotes kept while splitting, so <c>"&lt;&lt;EOF"</c> is not one), as BuildKit finds them.
    /// </summary>
    internal static IEnumerable<(string Delimiter, bool StripTabs, bool Expand)> HeredocMarkers(string arguments)
    {
        foreach (var word in SplitKeepingQuotes(arguments, '\\'))
        {
            var match = HeredocWordPattern().Match(word);
            if (!match.Success || match.Groups["rest"].Value.Length == 0)
            {
                continue;
            }

            var rest = match.Groups["rest"].Value;
            var delimiter = rest.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("'", string.Empty, StringComparison.Ordinal);
            if (delimiter.Length == 0)
            {
                continue;
            }

            yield return (delimiter, match.Groups["dash"].Value == "-", delimiter.Length == rest.Length);
        }
    }

    /// <summary>Splits on whitespace outside quotes and keeps the quotes (BuildKit's parseWords).</summary>
    internal static List<string> SplitKeepingQuotes(string text, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is null && char.IsWhiteSpace(c))
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }

                continue;
            }

            if (c == escape && i + 1 < text.Length && quote != '\'')
            {
                word.Append(c).Append(text[++i]);
                continue;
            }

            if (quote is null && c is '"' or '\'')
            {
                quote = c;
            }
            else if (quote == c)
            {
                quote = null;
            }

            word.Append(c);
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>True when the line ends with the escape character (trailing blanks allowed); <paramref name="kept"/> is the line without it.</summary>
    private static bool EndsWithContinuation(string line, char escape, out string kept)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t')
        {
            end--;
        }

        if (end > 0 && line[end - 1] == escape)
        {
            kept = line[..(end - 1)];
            return true;
        }

        kept = line;
        return false;
    }

    private static DockerfileInstruction ParseInstruction(string logical, int startLine, int endLine, string original, string file)
    {
        var space = logical.IndexOfAny([' ', '\t']);
        var word = space < 0 ? logical : logical[..space];
        var keyword = word.ToUpperInvariant();
        if (!KeywordPattern().IsMatch(keyword))
        {
            // Quoted as written: upper-casing would hide a token from the masking, not from the reader.
            throw StrataException.BadInput($"{file}:{startLine}: '{Quote(word)}' is not a Dockerfile instruction.");
        }

        var rest = space < 0 ? string.Empty : logical[(space + 1)..].TrimStart();
        if (keyword == "ONBUILD")
        {
            if (rest.Length == 0)
            {
                throw StrataException.BadInput($"{file}:{startLine}: ONBUILD requires an instruction.");
            }

            var trigger = ParseInstruction(rest, startLine, endLine, original, file);
            if (trigger.Keyword is "ONBUILD" or "FROM" or "MAINTAINER")
            {
                throw StrataException.BadInput($"{file}:{startLine}: ONBUILD {trigger.Keyword} is not allowed.");
            }

            return new DockerfileInstruction(keyword, [], rest, null, [], startLine, endLine, original) { Trigger = trigger };
        }

        var flags = new List<KeyValuePair<string, string?>>();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = EndOfFlag(rest);
            var flag = rest[..end];
            rest = rest[end..].TrimStart();
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            flags.Add(equals < 0
                ? new KeyValuePair<string, string?>(flag[2..], null)
                : new KeyValuePair<string, string?>(flag[2..equals], Unquote(flag[(equals + 1)..])));
        }

        if (rest.Length == 0)
        {
            throw StrataException.BadInput($"{file}:{startLine}: {keyword} requires at least one argument.");
        }

        IReadOnlyList<string>? json = null;
        if (rest.StartsWith('[') && keyword is "RUN" or "CMD" or "ENTRYPOINT" or "SHELL" or "COPY" or "ADD" or "VOLUME")
        {
            try
            {
                var array = JsonSerializer.Deserialize(rest, ExecFormJson.Default.StringArray);
                if (array is not null && array.All(a => a is not null))
                {
                    json = [.. array.Select(a => a!)];
                }
            }
            catch (JsonException)
            {
                // Not valid JSON: the builder then treats the text as shell form, and so do we.
            }
        }

        return new DockerfileInstruction(keyword, flags, rest, json, [], startLine, endLine, original);
    }

    private static int EndOfFlag(string text)
    {
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is null && c is ' ' or '\t')
            {
                return i;
            }

            if (quote is null && c is '"' or '\'')
            {
                quote = c;
            }
            else if (quote == c)
            {
                quote = null;
            }
        }

        return text.Length;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == value[^1] && value[0] is '"' or '\'' ? value[1..^1] : value;

    /// <summary>
    /// A fragment of a Dockerfile as a message quotes it: values of secret-named variables and credentials of a known
    /// format masked (<see cref="SecretText.Mask"/>), credential-shaped words redacted, bounded (<see cref="Redaction.Quote"/>).
    /// A line of a Dockerfile may be nothing but a pasted token.
    /// </summary>
    internal static string Quote(string text, int maxLength = Redaction.QuoteLength) =>
        Redaction.Quote(SecretText.Mask(text.Length > maxLength * 4 ? text[..(maxLength * 4)] : text), maxLength);

    [GeneratedRegex(@"^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$", RegexOptions.CultureInvariant)]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"^\d*<<(?<dash>-?)(?<rest>[^<]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex HeredocWordPattern();

    [GeneratedRegex(@"^(FROM|RUN|CMD|LABEL|MAINTAINER|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)$", RegexOptions.CultureInvariant)]
    private static partial Regex KeywordPattern();
}
