namespace Strata.Images.Dockerfile;

/// <summary>A parsed Dockerfile/Containerfile.</summary>
public sealed record DockerfileDocument(string File, char EscapeCharacter, IReadOnlyList<DockerfileInstruction> Instructions)
{
    /// <summary>The build stages, each starting at a FROM.</summary>
    public IReadOnlyList<DockerfileStage> Stages
    {
        get
        {
            var stages = new List<DockerfileStage>();
            List<DockerfileInstruction>? current = null;
            DockerfileInstruction? from = null;
            foreach (var instruction in Instructions)
            {
                if (instruction.Keyword == "FROM")
                {
                    if (from is not null)
                    {
                        stages.Add(DockerfileStage.Create(stages.Count, from, current!));
                    }

                    from = instruction;
                    current = [];
                }
                else
                {
                    current?.Add(instruction);
                }
            }

            if (from is not null)
            {
                stages.Add(DockerfileStage.Create(stages.Count, from, current!));
            }

            return stages;
        }
    }
}

/// <summary>One instruction, with its flags (--from=…, --mount=…) and arguments.</summary>
/// <param name="Keyword">Upper-case keyword, e.g. RUN.</param>
/// <param name="Arguments">The arguments after the flags, continuation lines joined with a space.</param>
/// <param name="JsonArguments">The exec-form array when the arguments are one, else null.</param>
/// <param name="Heredocs">Bodies of here-documents (RUN &lt;&lt;EOF …).</param>
public sealed record DockerfileInstruction(
    string Keyword,
    IReadOnlyList<KeyValuePair<string, string?>> Flags,
    string Arguments,
    IReadOnlyList<string>? JsonArguments,
    IReadOnlyList<DockerfileHeredoc> Heredocs,
    int StartLine,
    int EndLine,
    string Original)
{
    public string? Flag(string name) => Flags.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool HasFlag(string name) => Flags.Any(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));
}

public sealed record DockerfileHeredoc(string Delimiter, string Body, int StartLine);

/// <summary>A build stage: its FROM and the instructions up to the next FROM.</summary>
public sealed record DockerfileStage(int Index, string BaseImage, string? Name, string? Platform, DockerfileInstruction From, IReadOnlyList<DockerfileInstruction> Instructions)
{
    internal static DockerfileStage Create(int index, DockerfileInstruction from, IReadOnlyList<DockerfileInstruction> instructions)
    {
        var words = from.Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var name = words.Length >= 3 && string.Equals(words[1], "AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
        return new DockerfileStage(index, words.Length > 0 ? words[0] : string.Empty, name, from.Flag("platform"), from, instructions);
    }
}
