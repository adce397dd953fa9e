namespace Strata.Images.Dockerfile;

/// <summary>
/// A parsed Dockerfile/Containerfile. <see cref="Instructions"/> are as written; <see cref="Stages"/> hold the
/// same instructions evaluated the way the builder sees them (ARG/ENV substituted, SHELL applied, stage
/// references resolved).
/// </summary>
public sealed record DockerfileDocument(string File, char EscapeCharacter, IReadOnlyList<DockerfileInstruction> Instructions)
{
    /// <summary>The <c># syntax=</c> directive, when there is one.</summary>
    public string? Syntax { get; init; }

    /// <summary>ARG instructions before the first FROM: global, usable in FROM lines (and in stages that re-declare them).</summary>
    public IReadOnlyList<DockerfileInstruction> GlobalArguments { get; init; } = [];

    /// <summary>The build stages, each starting at a FROM, evaluated.</summary>
    public IReadOnlyList<DockerfileStage> Stages { get; init; } = [];

    /// <summary>The stage that becomes the image (the last one; <c>--target</c> may pick another).</summary>
    public DockerfileStage? FinalStage => Stages.Count > 0 ? Stages[^1] : null;

    /// <summary>The final stage and the stages it is built FROM: what ends up in the image's layers.</summary>
    public IReadOnlyList<DockerfileStage> ShippedStages
    {
        get
        {
            var shipped = new List<DockerfileStage>();
            for (var stage = FinalStage; stage is not null && !shipped.Contains(stage); stage = stage.BaseStage)
            {
                shipped.Add(stage);
            }

            return shipped;
        }
    }

    /// <summary>The stage named <paramref name="nameOrIndex"/> (a name, case-insensitive, or a number), if any.</summary>
    public DockerfileStage? FindStage(string nameOrIndex)
    {
        ArgumentNullException.ThrowIfNull(nameOrIndex);
        if (int.TryParse(nameOrIndex, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return index < Stages.Count ? Stages[index] : null;
        }

        return Stages.FirstOrDefault(s => string.Equals(s.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>One instruction, with its flags (--from=…, --mount=…) and arguments.</summary>
/// <param name="Keyword">Upper-case keyword, e.g. RUN.</param>
/// <param name="Flags">Flags before the arguments; in <see cref="DockerfileStage"/> instructions their values are substituted.</param>
/// <param name="Arguments">The arguments after the flags, continuation lines joined, as written.</param>
/// <param name="JsonArguments">The exec-form array when the arguments are one, else null.</param>
/// <param name="Heredocs">Here-documents (RUN &lt;&lt;EOF …) in the order they appear.</param>
/// <param name="Original">The instruction's lines as written (here-document bodies excluded).</param>
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
    /// <summary>
    /// Where each physical line of a continued instruction starts, as offsets into <see cref="Arguments"/>
    /// (negative when the line starts before the arguments); empty for one-line instructions.
    /// </summary>
    public IReadOnlyList<(int Offset, int Line)> ArgumentLines { get; init; } = [];

    /// <summary>The line on which offset <paramref name="offset"/> of <see cref="Arguments"/> was written.</summary>
    public int LineOfArgumentOffset(int offset)
    {
        var line = StartLine;
        foreach (var (start, physical) in ArgumentLines)
        {
            if (start > offset)
            {
                break;
            }

            line = physical;
        }

        return line;
    }

    /// <summary>For ONBUILD: the wrapped instruction, which runs in images built FROM this one.</summary>
    public DockerfileInstruction? Trigger { get; init; }

    /// <summary>
    /// The arguments as the builder uses them: substituted and unquoted words for FROM, COPY, ADD, USER,
    /// WORKDIR, EXPOSE, VOLUME, STOPSIGNAL (exec-form elements for COPY/ADD/VOLUME); null for instructions the
    /// builder does not expand (RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK: the shell expands those at run time)
    /// and outside a stage.
    /// </summary>
    public IReadOnlyList<string>? Words { get; init; }

    /// <summary>For ENV, LABEL and ARG: the key/value pairs, values substituted and unquoted.</summary>
    public IReadOnlyList<DockerfileKeyValue> Pairs { get; init; } = [];

    /// <summary>True when substitution used a variable whose value is not known statically (an ARG without default, a base image ENV).</summary>
    public bool Unresolved { get; init; }

    /// <summary>The shell in effect (default <c>/bin/sh -c</c>, or the stage's last SHELL).</summary>
    public IReadOnlyList<string> Shell { get; init; } = DockerfileStage.DefaultShell;

    /// <summary>
    /// For RUN: the shell commands it runs, when they can be read (shell form with a POSIX shell, exec form
    /// <c>["sh", "-c", "…"]</c>, here-document scripts); for other exec forms, one command of the array.
    /// </summary>
    public ShellScript? Script { get; init; }

    /// <summary>True when the arguments are an exec-form JSON array.</summary>
    public bool IsExecForm => JsonArguments is not null;

    public string? Flag(string name) => Flags.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool HasFlag(string name) => Flags.Any(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every value of a repeatable flag (e.g. several <c>--mount</c>).</summary>
    public IEnumerable<string> FlagValues(string name) => Flags.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase) && f.Value is not null).Select(f => f.Value!);

    /// <summary>RUN <c>--mount</c> options parsed into key/value maps (type, target, from, id …).</summary>
    public IEnumerable<IReadOnlyDictionary<string, string>> Mounts => FlagValues("mount").Select(ParseMount);

    /// <summary>True when a RUN cache or tmpfs mount covers <paramref name="path"/>, so files written there never reach the layer.</summary>
    public bool MountsOver(string path) => Mounts.Any(m =>
        m.GetValueOrDefault("type") is "cache" or "tmpfs"
        && (m.GetValueOrDefault("target") ?? m.GetValueOrDefault("dst") ?? m.GetValueOrDefault("destination")) is string target
        && (path.StartsWith(target.TrimEnd('/') + "/", StringComparison.Ordinal) || path.TrimEnd('/') == target.TrimEnd('/')));

    private static Dictionary<string, string> ParseMount(string value)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in value.Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                map[part.Trim()] = "true";
            }
            else
            {
                map[part[..equals].Trim()] = part[(equals + 1)..].Trim();
            }
        }

        map.TryAdd("type", "bind");
        return map;
    }
}

/// <param name="Delimiter">The delimiter word, quotes removed.</param>
/// <param name="Body">The lines between the instruction and the delimiter (tabs stripped for &lt;&lt;-).</param>
/// <param name="StartLine">Line of the first body line.</param>
/// <param name="Expand">False when the delimiter was quoted (&lt;&lt;"EOF"): the body is then taken literally.</param>
/// <param name="StripTabs">True for &lt;&lt;-.</param>
public sealed record DockerfileHeredoc(string Delimiter, string Body, int StartLine, bool Expand = true, bool StripTabs = false);

/// <param name="Key">The name (ENV/ARG) or label key.</param>
/// <param name="Value">The value after substitution; null for an ARG without default.</param>
/// <param name="RawValue">The value as written; null for an ARG without default.</param>
public sealed record DockerfileKeyValue(string Key, string? Value, string? RawValue)
{
    /// <summary>True when <see cref="Value"/> is a best guess: it used a variable whose value is not known statically.</summary>
    public bool Unresolved { get; init; }
}

/// <summary>A build stage: its FROM and the instructions up to the next FROM, evaluated.</summary>
/// <param name="BaseImage">The FROM image after substitution of global ARGs, e.g. <c>golang:1.22</c>, or an earlier stage's name.</param>
/// <param name="Name">The stage name (<c>AS name</c>), lower-cased as BuildKit does.</param>
public sealed record DockerfileStage(int Index, string BaseImage, string? Name, string? Platform, DockerfileInstruction From, IReadOnlyList<DockerfileInstruction> Instructions)
{
    public static readonly IReadOnlyList<string> DefaultShell = ["/bin/sh", "-c"];

    /// <summary>The earlier stage this one is built FROM, when its base is a stage name.</summary>
    public DockerfileStage? BaseStage { get; init; }

    /// <summary>True when <see cref="BaseImage"/> depends on an ARG whose value is not known statically.</summary>
    public bool BaseImageUnresolved { get; init; }

    /// <summary>
    /// ENV at the end of the stage, inherited ones included. Values that used an unknown variable (an ARG
    /// without default, a base image's ENV) are best guesses, with unknown parts empty as the builder would
    /// make them; their names are in <see cref="UnresolvedEnvironment"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Names in <see cref="Environment"/> whose values are best guesses.</summary>
    public IReadOnlySet<string> UnresolvedEnvironment { get; init; } = new HashSet<string>();

    /// <summary>The SHELL in effect at the end of the stage.</summary>
    public IReadOnlyList<string> Shell { get; init; } = DefaultShell;

    /// <summary>The stage's number or name, for messages.</summary>
    public string Label => Name ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True when this stage is built FROM scratch (or from a stage that is).</summary>
    public bool IsScratch => BaseStage?.IsScratch ?? string.Equals(BaseImage, "scratch", StringComparison.OrdinalIgnoreCase);

    /// <summary>The last instruction with <paramref name="keyword"/> in this stage or, failing that, in the stages it is built FROM.</summary>
    public DockerfileInstruction? LastInherited(string keyword)
    {
        for (var stage = this; stage is not null; stage = stage.BaseStage)
        {
            var found = stage.Instructions.LastOrDefault(i => i.Keyword == keyword);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
