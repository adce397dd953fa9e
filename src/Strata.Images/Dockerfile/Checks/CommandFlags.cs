namespace Strata.Images.Dockerfile.Checks;

/// <summary>
/// Flags of a shell command the way most tools read them: <c>--name</c> and <c>--name=value</c> give <c>name</c>, a
/// cluster <c>-xzf</c> gives <c>x</c>, <c>z</c> and <c>f</c>; everything after <c>--</c> is an operand.
/// </summary>
internal static class CommandFlags
{
    /// <summary>True when any of <paramref name="names"/> (one letter: a short flag; longer: a long option) is given.</summary>
    public static bool Has(ShellCommand command, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var argument in command.Arguments)
        {
            if (argument == "--")
            {
                break;
            }

            if (argument.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = argument.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? argument[2..] : argument[2..equals];
                if (names.Contains(name, StringComparer.Ordinal))
                {
                    return true;
                }
            }
            else if (argument.Length > 1 && argument[0] == '-')
            {
                foreach (var letter in argument.AsSpan(1))
                {
                    foreach (var name in names)
                    {
                        if (name.Length == 1 && name[0] == letter)
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The operands of <paramref name="command"/>: its arguments that are not options, skipping the value after each
    /// option in <paramref name="optionsWithValue"/> (written <c>-o</c> or <c>--output</c>).
    /// </summary>
    public static IEnumerable<string> Operands(ShellCommand command, params string[] optionsWithValue)
    {
        ArgumentNullException.ThrowIfNull(command);
        var arguments = command.Arguments;
        var operandsOnly = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (operandsOnly || argument.Length < 2 || argument[0] != '-')
            {
                yield return argument;
                continue;
            }

            if (argument == "--")
            {
                operandsOnly = true;
                continue;
            }

            if (optionsWithValue.Contains(argument, StringComparer.Ordinal))
            {
                i++;
            }
        }
    }

    /// <summary>
    /// The values given to a short option <paramref name="shortName"/> (<c>-u 1000</c>, <c>-u1000</c>, inside a cluster
    /// <c>-lu 1000</c>) or a long one (<c>--uid 1000</c>, <c>--uid=1000</c>); <paramref name="valueLetters"/> are the short
    /// options of the tool that take a value, which end a cluster.
    /// </summary>
    public static IEnumerable<string> Values(ShellCommand command, char shortName, string longName, string valueLetters)
    {
        ArgumentNullException.ThrowIfNull(command);
        var arguments = command.Arguments;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument == "--")
            {
                yield break;
            }

            if (argument == "--" + longName)
            {
                if (i + 1 < arguments.Count)
                {
                    yield return arguments[++i];
                }

                continue;
            }

            if (argument.StartsWith("--" + longName + "=", StringComparison.Ordinal))
            {
                yield return argument[(longName.Length + 3)..];
                continue;
            }

            if (argument.Length < 2 || argument[0] != '-' || argument[1] == '-')
            {
                continue;
            }

            for (var j = 1; j < argument.Length; j++)
            {
                if (!valueLetters.Contains(argument[j], StringComparison.Ordinal))
                {
                    continue;
                }

                var value = j + 1 < argument.Length ? argument[(j + 1)..] : i + 1 < arguments.Count ? arguments[++i] : null;
                if (argument[j] == shortName && value is not null)
                {
                    yield return value;
                }

                break;
            }
        }
    }
}
