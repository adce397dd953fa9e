namespace Strata.Images.Dockerfile.Checks;

/// <summary>Instructions and words as written in the Dockerfile, before the builder substitutes variables.</summary>
internal static class WrittenText
{
    /// <summary>The FROM of <paramref name="stage"/> as written (its flags not substituted).</summary>
    public static DockerfileInstruction From(DockerfileDocument dockerfile, DockerfileStage stage)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        ArgumentNullException.ThrowIfNull(stage);
        return dockerfile.Instructions.FirstOrDefault(i => i.Keyword == "FROM" && i.StartLine == stage.From.StartLine) ?? stage.From;
    }

    /// <summary>The arguments of <paramref name="instruction"/> as written, split on blanks outside quotes (quotes kept); the exec-form elements for JSON.</summary>
    public static IReadOnlyList<string> Words(DockerfileDocument dockerfile, DockerfileInstruction instruction)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        ArgumentNullException.ThrowIfNull(instruction);
        return instruction.JsonArguments ?? DockerfileParser.SplitKeepingQuotes(instruction.Arguments, dockerfile.EscapeCharacter);
    }

    /// <summary>True when <paramref name="text"/> refers to <paramref name="variable"/> as <c>$NAME</c> (not followed by a name character) or <c>${NAME…}</c>.</summary>
    public static bool References(string text, string variable)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variable);
        for (var at = text.IndexOf('$', StringComparison.Ordinal); at >= 0; at = text.IndexOf('$', at + 1))
        {
            var rest = text.AsSpan(at + 1);
            if (rest.StartsWith("{" + variable, StringComparison.Ordinal) && rest.Length > variable.Length + 1 && rest[variable.Length + 1] is '}' or ':' or '-' or '+' or '#' or '%' or '/')
            {
                return true;
            }

            if (rest.StartsWith(variable, StringComparison.Ordinal) && (rest.Length == variable.Length || !(char.IsAsciiLetterOrDigit(rest[variable.Length]) || rest[variable.Length] == '_')))
            {
                return true;
            }
        }

        return false;
    }
}
