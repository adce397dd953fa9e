namespace Strata.Runtime.Recording;

using System.Globalization;

/// <summary>
/// The syscalls a runtime's init makes after installing the container's seccomp filter and before it executes the
/// container's process: a profile recorded from the bare command must allow them too, or the runtime cannot start it.
/// </summary>
public static class RuntimeBaseline
{
    /// <summary>The runtimes Strata carries a baseline for.</summary>
    public static IReadOnlyList<string> Known { get; } = ["runc"];

    /// <summary>The baseline of <paramref name="runtime"/> (sorted names), or null when Strata has none.</summary>
    public static IReadOnlyList<string>? For(string runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (!Known.Contains(runtime, StringComparer.Ordinal))
        {
            return null;
        }

        using var stream = typeof(RuntimeBaseline).Assembly.GetManifestResourceStream($"Strata.Runtime.Recording.Baselines.{runtime}.txt")
            ?? throw new InvalidOperationException($"The {runtime} baseline is not embedded.");
        using var reader = new StreamReader(stream);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                names.Add(line.Trim());
            }
        }

        return [.. names];
    }

    /// <summary>
    /// Derives the baseline from a <c>strace -f</c> log of <c>runc run</c> (or another runtime): the syscalls entered by the
    /// thread group that installed a seccomp filter (<c>seccomp(SECCOMP_SET_MODE_FILTER, …)</c> with a program, or
    /// <c>prctl(PR_SET_SECCOMP, …)</c>), from the installation to that group's next <c>execve</c>, which is included.
    /// Null when the log shows no filter being installed.
    /// </summary>
    public static IReadOnlyList<string>? Derive(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var groups = new Dictionary<int, int>();
        var cloneIsThread = new Dictionary<int, bool>();
        int? group = null;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        int GroupOf(int pid) => groups.TryGetValue(pid, out var g) ? g : pid;

        foreach (var text in lines)
        {
            var line = StraceLine.Parse(text);
            if (line.Kind == StraceLineKind.Other)
            {
                continue;
            }

            if (line.Name is "clone" or "clone3" or "fork" or "vfork")
            {
                if (line.Kind == StraceLineKind.Unfinished)
                {
                    cloneIsThread[line.Pid] = line.Arguments.Contains("CLONE_THREAD", StringComparison.Ordinal);
                }
                else
                {
                    var thread = line.Kind == StraceLineKind.Complete
                        ? line.Arguments.Contains("CLONE_THREAD", StringComparison.Ordinal)
                        : cloneIsThread.GetValueOrDefault(line.Pid);
                    if (line.Result is { } result && int.TryParse(result.Split(' ', 2)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var child))
                    {
                        groups[child] = thread ? GroupOf(line.Pid) : child;
                    }
                }
            }

            if (line.Kind == StraceLineKind.Resumed)
            {
                continue; // counted at entry: a filter checks a syscall when it starts
            }

            if (group is null)
            {
                if (InstallsFilter(line))
                {
                    group = GroupOf(line.Pid);
                }

                continue;
            }

            if (GroupOf(line.Pid) != group)
            {
                continue;
            }

            names.Add(line.Name);
            if (line.Name is "execve" or "execveat")
            {
                break;
            }
        }

        return group is null ? null : [.. names];
    }

    private static bool InstallsFilter(StraceLine line)
    {
        if (line.Name == "prctl")
        {
            return line.Arguments.StartsWith("PR_SET_SECCOMP, SECCOMP_MODE_FILTER", StringComparison.Ordinal);
        }

        if (line.Name != "seccomp" || !line.Arguments.StartsWith("SECCOMP_SET_MODE_FILTER", StringComparison.Ordinal))
        {
            return false;
        }

        // runc probes the kernel's filter flags with a NULL program first (EFAULT); those install nothing.
        var args = StraceLine.SplitArguments(line.Arguments);
        return args.Count >= 3 && args[2] != "NULL" && (line.Kind == StraceLineKind.Unfinished || (line.Result?.StartsWith('0') ?? false) || (line.Result?.Length > 0 && char.IsAsciiDigit(line.Result[0])));
    }
}
