namespace Strata.Fuzz.Targets;

using System.Text;
using Strata.Images.Dockerfile;

/// <summary>
/// The shell lexer (BuildKit's word expansion) and the shell-script splitter the RUN checks use, reached directly,
/// with both escape characters and a few variables declared.
/// </summary>
public sealed class ShellTarget : IFuzzTarget
{
    private static readonly Dictionary<string, string?> Variables = new(StringComparer.Ordinal)
    {
        ["HOME"] = "/root",
        ["SPACED"] = "a b  c",
        ["EMPTY"] = string.Empty,
        ["GLOBBY"] = "*.tar.gz",

        // Declared without a value (an ARG without default): its value is unknown.
        ["VERSION"] = null,
    };

    public string Name => "shell";

    public string Covers => "Images/Dockerfile: ShellLexer.ProcessWord/ProcessWords (quotes, ${…} forms, nesting), ShellScript.Parse and ShellCommand's queries";

    public ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var text = new UTF8Encoding(false).GetString(input);
        foreach (var escape in new[] { '\\', '`' })
        {
            var lexer = new ShellLexer(escape);
            try
            {
                lexer.ProcessWord(text, Lookup);
                lexer.ProcessWords(text, Lookup);
            }
            catch (FormatException)
            {
                // ShellLexer's documented answer to an unterminated quote or substitution.
            }
        }

        var script = ShellScript.Parse(text);
        foreach (var command in script.Commands)
        {
            _ = command.Program;
            _ = command.FirstProgram;
            _ = command.Arguments;
            _ = command.Subcommand("-o", "--option");
            _ = command.HasOption("yes", 'y', "o");
            _ = script.PipefailSetBefore(command);
            _ = ShellOptions.SetsPipefail(command.Arguments);
        }

        _ = script.Pipelines.Count();
        return ValueTask.CompletedTask;
    }

    private static bool Lookup(string name, out string? value) => Variables.TryGetValue(name, out value);
}
