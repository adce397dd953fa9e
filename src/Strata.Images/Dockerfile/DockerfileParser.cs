namespace Strata.Images.Dockerfile;

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Documents;

/// <summary>
/// Parses Dockerfiles and Containerfiles as BuildKit and Buildah read them: parser directives
/// (escape, syntax), comments, line continuations, here-documents, flags and exec-form arguments.
/// </summary>
public static partial class DockerfileParser
{
    /// <summary>Largest Dockerfile parsed: 4 MiB.</summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    public static DockerfileDocument Load(string file) => Parse(BoundedFile.ReadAllText(file, MaxBytes, "a Dockerfile"), file);

    public static DockerfileDocument Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var escape = '\\';
        var index = 0;

        // Parser directives: only at the very top, before any comment, blank line or instruction.
        while (index < lines.Length)
        {
            var match = DirectivePattern().Match(lines[index]);
            if (!match.Success)
            {
                break;
            }

            if (string.Equals(match.Groups[1].Value, "escape", StringComparison.OrdinalIgnoreCase))
            {
                var value = match.Groups[2].Value.Trim();
                if (value is not ("\\" or "`"))
                {
                    throw StrataException.BadInput($"{file}:{index + 1}: invalid escape directive '{value}' (only \\ and ` are allowed).");
                }

                escape = value[0];
            }

            index++;
        }

        var instructions = new List<DockerfileInstruction>();
        while (index < lines.Length)
        {
            var line = lines[index];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                index++;
                continue;
            }

            var startLine = index + 1;
            var logical = new StringBuilder();
            var original = new StringBuilder();
            while (true)
            {
                var current = lines[index];
                original.Append(current);
                var content = current.TrimEnd();
                index++;
                if (content.Length > 0 && content[^1] == escape && index < lines.Length)
                {
                    logical.Append(content, 0, content.Length - 1);
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

                logical.Append(content);
                break;
            }

            var instruction = ParseInstruction(logical.ToString().Trim(), startLine, index, original.ToString(), file);
            var heredocs = new List<DockerfileHeredoc>();
            foreach (Match heredoc in HeredocPattern().Matches(instruction.Arguments))
            {
                var delimiter = heredoc.Groups["word"].Value;
                var stripTabs = heredoc.Groups["dash"].Success;
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

                heredocs.Add(new DockerfileHeredoc(delimiter, body.ToString(), bodyStart));
            }

            instructions.Add(heredocs.Count == 0 ? instruction : instruction with { Heredocs = heredocs, EndLine = index });
        }

        return new DockerfileDocument(file, escape, instructions);
    }

    private static DockerfileInstruction ParseInstruction(string logical, int startLine, int endLine, string original, string file)
    {
        var space = logical.IndexOfAny([' ', '\t']);
        var keyword = (space < 0 ? logical : logical[..space]).ToUpperInvariant();
        if (!KeywordPattern().IsMatch(keyword))
        {
            throw StrataException.BadInput($"{file}:{startLine}: '{Shorten(keyword)}' is not a Dockerfile instruction.");
        }

        var rest = space < 0 ? string.Empty : logical[(space + 1)..].TrimStart();
        var flags = new List<KeyValuePair<string, string?>>();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            var flag = end < 0 ? rest : rest[..end];
            rest = end < 0 ? string.Empty : rest[(end + 1)..].TrimStart();
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            flags.Add(equals < 0
                ? new KeyValuePair<string, string?>(flag[2..], null)
                : new KeyValuePair<string, string?>(flag[2..equals], flag[(equals + 1)..]));
        }

        IReadOnlyList<string>? json = null;
        if (rest.StartsWith('[') && keyword is "RUN" or "CMD" or "ENTRYPOINT" or "SHELL" or "COPY" or "ADD" or "VOLUME" or "HEALTHCHECK")
        {
            try
            {
                json = JsonSerializer.Deserialize<string[]>(rest);
            }
            catch (JsonException)
            {
                // Not valid JSON: Docker then treats the text as shell form, and so do we.
            }
        }

        return new DockerfileInstruction(keyword, flags, rest, json, [], startLine, endLine, original);
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"<<(?<dash>-)?[""']?(?<word>[A-Za-z_][A-Za-z0-9_]*)[""']?", RegexOptions.CultureInvariant)]
    private static partial Regex HeredocPattern();

    [GeneratedRegex(@"^(FROM|RUN|CMD|LABEL|MAINTAINER|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)$", RegexOptions.CultureInvariant)]
    private static partial Regex KeywordPattern();
}
