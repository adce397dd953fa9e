namespace Strata.Images.Dockerfile.Checks;

/// <summary>
/// Whether an image that starts as root hands over to another user in its entrypoint (gosu, su-exec, setpriv …), the
/// pattern of images whose entrypoint must fix ownership of volumes before running the service unprivileged.
/// </summary>
internal static class PrivilegeDrop
{
    private static readonly HashSet<string> Tools = new(StringComparer.Ordinal) { "gosu", "su-exec", "setpriv", "runuser", "s6-setuidgid", "setuidgid", "chpst" };

    /// <summary>
    /// How <paramref name="stage"/>'s ENTRYPOINT or CMD drops privileges: the tool it runs, or a tool installed in the
    /// image when the entrypoint is a script (which then presumably uses it); null when nothing suggests it.
    /// </summary>
    public static string? Find(DockerfileDocument dockerfile, DockerfileStage stage)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        ArgumentNullException.ThrowIfNull(stage);
        var entrypoint = stage.LastInherited("ENTRYPOINT");
        foreach (var instruction in new[] { entrypoint, stage.LastInherited("CMD") }.OfType<DockerfileInstruction>())
        {
            var words = instruction.JsonArguments ?? instruction.Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var names = words.Select(ShellCommand.BaseName).ToList();
            if (names.FirstOrDefault(Tools.Contains) is { } tool)
            {
                return $"its {instruction.Keyword} runs {tool}";
            }

            if (names.Contains("chroot") && words.Any(w => w.StartsWith("--userspec", StringComparison.Ordinal)))
            {
                return $"its {instruction.Keyword} runs chroot --userspec";
            }
        }

        if (entrypoint is null)
        {
            return null;
        }

        // An entrypoint script cannot be read here; a drop tool installed or copied into the image says what it does.
        foreach (var shipped in dockerfile.ShippedStages)
        {
            foreach (var instruction in shipped.Instructions)
            {
                var mentioned = instruction.Keyword switch
                {
                    "RUN" when instruction.Script is { } script => script.Commands.SelectMany(c => c.Words).Select(Tool).FirstOrDefault(t => t is not null),
                    "COPY" or "ADD" when instruction.Words is { } words => words.Select(Tool).FirstOrDefault(t => t is not null),
                    _ => null,
                };
                if (mentioned is not null)
                {
                    return $"the image installs {mentioned} for its entrypoint";
                }
            }
        }

        return null;
    }

    /// <summary>The drop tool a word installs or names (a package, a path, a download URL), if any.</summary>
    private static string? Tool(string word)
    {
        foreach (var tool in new[] { "gosu", "su-exec" })
        {
            if (word == tool || word.StartsWith(tool + "=", StringComparison.Ordinal) || word.Contains("/" + tool, StringComparison.Ordinal))
            {
                return tool;
            }
        }

        return null;
    }
}
