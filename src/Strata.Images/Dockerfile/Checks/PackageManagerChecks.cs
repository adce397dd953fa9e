namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Secrets;

/// <summary>Which RUNs the package rules read, and what a RUN's environment holds.</summary>
internal static class PackageRuns
{
    /// <summary>
    /// The RUNs of the stages that end up in the image, and every <c>ONBUILD RUN</c> trigger wherever it is: a trigger
    /// runs in the images built FROM this one, so what it leaves behind ships there.
    /// </summary>
    public static IEnumerable<(DockerfileStage Stage, DockerfileInstruction Run, ShellScript Script)> ShippedAndTriggers(DockerfileDocument document)
    {
        var shipped = document.ShippedStages;
        return DockerfileFindings.Runs(document.Stages).Where(r => shipped.Any(s => ReferenceEquals(s, r.Stage)) || IsTrigger(r.Stage, r.Run));
    }

    /// <summary>True when <paramref name="run"/> is the trigger of an ONBUILD of <paramref name="stage"/>.</summary>
    public static bool IsTrigger(DockerfileStage stage, DockerfileInstruction run) => stage.Instructions.Any(i => ReferenceEquals(i.Trigger, run));

    /// <summary>
    /// The ENV values <paramref name="run"/> sees: those of the stages its stage is built FROM, then its stage's up to the
    /// RUN (all of them for an ONBUILD trigger, which runs after the whole stage, in the child image).
    /// </summary>
    public static Dictionary<string, string?> EnvironmentOf(DockerfileStage stage, DockerfileInstruction run)
    {
        var chain = new List<DockerfileStage>();
        for (var s = stage; s is not null && !chain.Any(c => ReferenceEquals(c, s)); s = s.BaseStage)
        {
            chain.Insert(0, s);
        }

        var trigger = IsTrigger(stage, run);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var s in chain)
        {
            foreach (var instruction in s.Instructions.Where(i => i.Keyword == "ENV" && (!ReferenceEquals(s, stage) || trigger || i.StartLine < run.StartLine)))
            {
                foreach (var pair in instruction.Pairs)
                {
                    environment[pair.Key] = pair.Value;
                }
            }
        }

        return environment;
    }

    /// <summary>
    /// Whether a variable used by <paramref name="run"/> is set in the Dockerfile: an ENV it sees, or an ARG declared
    /// before it (hadolint counts an ARG of any earlier stage too, and so do we: the value is in the file either way).
    /// </summary>
    public static Func<string, bool> DefinedVariables(DockerfileDocument document, DockerfileStage stage, DockerfileInstruction run)
    {
        var names = new HashSet<string>(EnvironmentOf(stage, run).Keys, StringComparer.Ordinal);
        var arguments = document.GlobalArguments.Concat(document.Stages.SelectMany(s => s.Instructions)).Where(i => i.Keyword == "ARG" && i.StartLine < run.StartLine);
        names.UnionWith(arguments.SelectMany(i => i.Pairs).Select(p => p.Key));
        return names.Contains;
    }

    /// <summary>Up to five names, masked (a URL may carry a password), then how many more.</summary>
    public static string List(IReadOnlyCollection<string> names)
    {
        var shown = string.Join(", ", names.Take(5).Select(SecretText.Mask));
        return names.Count > 5 ? $"{shown} and {names.Count - 5} more" : shown;
    }

    /// <summary>True when a command of <paramref name="script"/> pipes <c>yes</c> into <paramref name="command"/>.</summary>
    public static bool PipedFromYes(ShellScript script, ShellCommand command) =>
        command.PipelinePosition > 0 && script.Commands.Any(p => p.Pipeline == command.Pipeline && p.Index < command.Index && p.Program == "yes");
}

/// <summary>A rule that every package a manager installs has its version fixed (DL3008, DL3013 … in hadolint).</summary>
public abstract class PackagePinningCheck : Check<DockerfileDocument>
{
    private protected PackagePinningCheck()
    {
    }

    private protected abstract IReadOnlyList<PackageManager> Managers { get; }

    /// <summary>How a pinned package is written, for the message (<c>curl=7.88.1-10+deb12u5</c>).</summary>
    private protected abstract string PinnedForm { get; }

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var managers = Managers.ToArray();
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            Func<string, bool>? defined = null;
            PackageCommandLine? first = null;
            var unpinned = new List<string>();
            foreach (var line in PackageManagers.In(script, managers))
            {
                if (!line.Manager.InstallSubcommands.Contains(line.Verb) || PackageVersions.CommandIsPinned(line))
                {
                    continue;
                }

                defined ??= PackageRuns.DefinedVariables(subject, stage, run);
                var count = unpinned.Count;
                unpinned.AddRange(PackageVersions.Packages(line).Where(p => p != line.Verb && !PackageVersions.IsPinned(line, p, defined)));
                first ??= unpinned.Count > count ? line : null;
            }

            // One finding per RUN (its fingerprint is the RUN's), at the first command that installs an unpinned package.
            if (first is not null)
            {
                var message = $"{first.Program} {first.Verb} {PackageRuns.List(unpinned)} without a version: each build installs whatever is newest that day (pin like {PinnedForm}).";
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, first.Command, message);
            }
        }
    }
}

/// <summary>A rule that a manager's subcommands that ask for confirmation are told the answer (DL3014, DL3030 … in hadolint).</summary>
public abstract class PackageConfirmationCheck : Check<DockerfileDocument>
{
    private protected PackageConfirmationCheck()
    {
    }

    private protected abstract PackageManager Manager { get; }

    /// <summary>The switch to add, for the message.</summary>
    private protected abstract string Switch { get; }

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            // One finding per RUN (its fingerprint is the RUN's), at the first command that would ask.
            var line = PackageManagers.In(script, Manager).FirstOrDefault(l => Manager.ConfirmingSubcommands.Contains(l.Verb) && !l.HasAnyOption(Manager.YesOptions) && !AnswersOtherwise(l) && !PackageRuns.PipedFromYes(script, l.Command));
            if (line is not null)
            {
                var message = $"{line.Program} {line.Verb} without {Switch} asks for confirmation; with no terminal the build aborts or behaves differently when dependencies change.";
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, line.Command, message);
            }
        }
    }

    /// <summary>Other ways a command line does not prompt (apt-get -qq, --simulate).</summary>
    private protected virtual bool AnswersOtherwise(PackageCommandLine line) => false;
}

/// <summary>
/// A rule that what a manager downloads (indexes, packages) does not stay in the layer: a clean-up later in the same RUN, a
/// no-cache switch, or a cache/tmpfs mount on the cache (DL3009, DL3019, DL3032 … in hadolint). Only the stages that
/// ship and ONBUILD triggers are read: a builder stage's cache never reaches the image.
/// </summary>
public abstract class PackageCacheCheck : Check<DockerfileDocument>
{
    private protected PackageCacheCheck()
    {
    }

    private protected abstract PackageManager Manager { get; }

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in PackageRuns.ShippedAndTriggers(subject))
        {
            if (Manager.CachePaths.Any(p => MountsOver(run, p)))
            {
                continue;
            }

            var lines = PackageManagers.In(script, Manager).ToList();
            var leaving = lines.FirstOrDefault(l => Manager.CachingSubcommands.Contains(l.Verb)
                && !Manager.NoCacheOptions.Any(l.HasLongOption)
                && !KeepsNothing(stage, run, script, l)
                && !CleanedAfter(script, lines, l));
            if (leaving is not null)
            {
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, leaving.Command, Message(leaving));
            }
        }
    }

    /// <summary>The finding's message for the command that leaves its cache.</summary>
    private protected abstract string Message(PackageCommandLine line);

    /// <summary>Other reasons a command keeps no cache (pip's PIP_NO_CACHE_DIR).</summary>
    private protected virtual bool KeepsNothing(DockerfileStage stage, DockerfileInstruction run, ShellScript script, PackageCommandLine line) => false;

    /// <summary>True when a cache or tmpfs mount covers <paramref name="cachePath"/> (a directory, or a fragment such as <c>.cache/pip</c>).</summary>
    private static bool MountsOver(DockerfileInstruction run, string cachePath)
    {
        if (cachePath.StartsWith('/'))
        {
            return run.MountsOver(cachePath);
        }

        return run.Mounts.Any(m => m.GetValueOrDefault("type") is "cache" or "tmpfs"
            && (m.GetValueOrDefault("target") ?? m.GetValueOrDefault("dst") ?? m.GetValueOrDefault("destination")) is string target
            && Covers(target, cachePath));
    }

    private bool CleanedAfter(ShellScript script, List<PackageCommandLine> lines, PackageCommandLine caching) =>
        lines.Any(l => l.Command.Index > caching.Command.Index && l.Cleans && (!Manager.CachePerProgram || l.Program == caching.Program))
        || script.Commands.Any(c => c.Index > caching.Command.Index && c.Program == "rm" && c.Arguments.Any(a => !a.StartsWith('-') && Manager.CachePaths.Any(p => Covers(a, p))));

    /// <summary>True when removing or mounting <paramref name="path"/> takes <paramref name="cachePath"/> with it.</summary>
    private static bool Covers(string path, string cachePath)
    {
        var trimmed = path.TrimEnd('*').TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return false;
        }

        if (cachePath.StartsWith('/'))
        {
            return cachePath == trimmed || cachePath.StartsWith(trimmed + "/", StringComparison.Ordinal) || trimmed.StartsWith(cachePath + "/", StringComparison.Ordinal);
        }

        // A fragment (.cache/pip) under any home directory; its parent (~/.cache) covers it too.
        var parent = cachePath[..Math.Max(cachePath.IndexOf('/', StringComparison.Ordinal), 0)];
        return trimmed.Contains(cachePath, StringComparison.Ordinal) || (parent.Length > 0 && (trimmed == parent || trimmed.EndsWith("/" + parent, StringComparison.Ordinal)));
    }
}
