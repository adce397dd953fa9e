namespace Strata.Runtime.Recording;

using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Runtime.Seccomp;

/// <summary>
/// Reads <c>strace -f</c> output (best with <c>-y</c>, which annotates descriptors with their paths) into a
/// <see cref="TraceRecording"/>: every syscall entered by every traced process and thread, and for AppArmor the paths,
/// socket families and capabilities the successful calls used. Streams line by line; overlong lines are skipped.
/// </summary>
public sealed partial class StraceLog
{
    /// <summary>Longest line read; strace writes far shorter lines unless -s is huge.</summary>
    public const int MaxLineChars = 1 << 20;

    private readonly TraceRecording recording = new();
    private readonly Dictionary<int, string> cwd = [];
    private readonly Dictionary<int, (string Name, string Arguments)> pending = [];
    private readonly HashSet<int> compat = [];
    private readonly SyscallTable? table;
    private readonly SyscallTable? compatTable;
    private readonly string startDirectory;

    /// <param name="arch">The architecture the trace was taken on (names of unknown syscall numbers); the host's when null.</param>
    /// <param name="workingDirectory">The directory the traced command started in (relative paths).</param>
    public StraceLog(SyscallTable? arch = null, string workingDirectory = "/")
    {
        table = arch ?? SyscallTable.Host;
        compatTable = table?.SubArchitectures.Select(SyscallTable.Find).FirstOrDefault(t => t is not null);
        startDirectory = workingDirectory;
    }

    public TraceRecording Recording => recording;

    /// <summary>Reads a whole log.</summary>
    public static async Task<TraceRecording> ReadAsync(TextReader reader, SyscallTable? arch, string workingDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var log = new StraceLog(arch, workingDirectory);
        await foreach (var line in BoundedLines(reader, log.recording, cancellationToken).ConfigureAwait(false))
        {
            log.Add(line);
        }

        return log.recording;
    }

    /// <summary>Lines of at most <see cref="MaxLineChars"/>; longer ones are skipped with a warning.</summary>
    public static async IAsyncEnumerable<string> BoundedLines(TextReader reader, TraceRecording? warnings, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var buffer = new char[64 * 1024];
        var line = new System.Text.StringBuilder();
        var skipping = false;
        var number = 0L;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n')
                {
                    continue;
                }

                number++;
                if (!skipping)
                {
                    line.Append(buffer, start, i - start);
                    if (line.Length <= MaxLineChars)
                    {
                        yield return line.ToString().TrimEnd('\r');
                    }
                    else
                    {
                        warnings?.Warn(string.Create(CultureInfo.InvariantCulture, $"line {number}: longer than {MaxLineChars} characters, skipped"));
                    }
                }
                else
                {
                    warnings?.Warn(string.Create(CultureInfo.InvariantCulture, $"line {number}: longer than {MaxLineChars} characters, skipped"));
                }

                line.Clear();
                skipping = false;
                start = i + 1;
            }

            if (!skipping)
            {
                line.Append(buffer, start, read - start);
                if (line.Length > MaxLineChars)
                {
                    line.Clear();
                    skipping = true;
                }
            }
        }

        if (!skipping && line.Length > 0)
        {
            yield return line.ToString().TrimEnd('\r');
        }
    }

    /// <summary>Takes one line of the log.</summary>
    public void Add(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (PersonalityChange().Match(text) is { Success: true } personality)
        {
            var pid = int.Parse(personality.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            if (personality.Groups[2].ValueSpan.SequenceEqual("64"))
            {
                compat.Remove(pid);
            }
            else
            {
                compat.Add(pid);
            }

            return;
        }

        var line = StraceLine.Parse(text);
        if (line.Kind != StraceLineKind.Other && !cwd.ContainsKey(line.Pid))
        {
            // A child often runs before its parent's clone returns: it starts where a parent with a clone under way is.
            var parent = pending.FirstOrDefault(p => p.Value.Name is "clone" or "clone3" or "fork" or "vfork");
            cwd[line.Pid] = parent.Value.Name is null ? startDirectory : Cwd(parent.Key);
        }

        switch (line.Kind)
        {
            case StraceLineKind.Complete:
                recording.AddSyscall(NameOf(line));
                Complete(line.Pid, NameOf(line), line.Arguments, line.Result!);
                break;
            case StraceLineKind.Unfinished:
                recording.AddSyscall(NameOf(line));
                pending[line.Pid] = (NameOf(line), line.Arguments);
                break;
            case StraceLineKind.Resumed:
                var name = NameOf(line);
                var arguments = pending.Remove(line.Pid, out var started) && started.Name == name ? started.Arguments + line.Arguments : line.Arguments;
                Complete(line.Pid, name, arguments, line.Result ?? "?");
                break;
            default:
                break;
        }
    }

    /// <summary>The syscall's name; strace's syscall_0x1b6 form is named from the architecture's table.</summary>
    private string NameOf(StraceLine line)
    {
        if (!line.Name.StartsWith("syscall_", StringComparison.Ordinal))
        {
            return line.Name;
        }

        var digits = line.Name["syscall_".Length..];
        var parsed = digits.StartsWith("0x", StringComparison.Ordinal)
            ? int.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : -1
            : int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var dec) ? dec : -1;
        var lookup = compat.Contains(line.Pid) ? compatTable : table;
        if (parsed >= 0 && lookup is not null && lookup.ByNumber.TryGetValue(parsed, out var known))
        {
            return known;
        }

        recording.Warn($"{line.Name}: no {lookup?.Name ?? "known"} syscall has that number");
        return line.Name;
    }

    private void Complete(int pid, string name, string arguments, string result)
    {
        var succeeded = result.Length > 0 && result[0] != '?' && !result.StartsWith("-1", StringComparison.Ordinal);
        if (!succeeded)
        {
            return;
        }

        var args = StraceLine.SplitArguments(arguments);
        string? Arg(int index) => index < args.Count ? args[index] : null;
        switch (name)
        {
            case "clone" or "clone3" or "fork" or "vfork":
                if (int.TryParse(result.Split(' ', 2)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var child))
                {
                    cwd.TryAdd(child, Cwd(pid));
                    if (compat.Contains(pid))
                    {
                        compat.Add(child);
                    }
                }

                break;
            case "chdir":
                if (Resolve(pid, "AT_FDCWD", Arg(0)) is { } directory)
                {
                    cwd[pid] = directory;
                }

                break;
            case "fchdir":
                if (Arg(0) is { } fd && StraceLine.DescriptorPath(fd) is { } fdDirectory)
                {
                    cwd[pid] = fdDirectory;
                }

                break;
            case "execve":
                Executed(Resolve(pid, "AT_FDCWD", Arg(0)));
                break;
            case "execveat":
                Executed(Arg(1) is "\"\"" && Arg(0) is { } execFd ? StraceLine.DescriptorPath(execFd) : Resolve(pid, Arg(0), Arg(1)));
                break;
            case "open" or "creat":
                Opened(pid, "AT_FDCWD", Arg(0), name == "creat" ? "O_WRONLY|O_CREAT|O_TRUNC" : Arg(1), result);
                break;
            case "openat":
                Opened(pid, Arg(0), Arg(1), Arg(2), result);
                break;
            case "openat2":
                Opened(pid, Arg(0), Arg(1), Arg(2) is { } how && FlagsField().Match(how) is { Success: true } f ? f.Groups[1].Value : null, result);
                break;
            case "getdents" or "getdents64" or "readdir":
                Descriptor(Arg(0), PathAccess.Read, directory: true);
                break;
            case "mmap" or "mmap2":
                if (Arg(2) is { } protection && protection.Contains("PROT_EXEC", StringComparison.Ordinal))
                {
                    Descriptor(Arg(4), PathAccess.MapExecutable | PathAccess.Read, directory: false);
                }

                break;
            case "flock":
                Descriptor(Arg(0), PathAccess.Lock, directory: false);
                break;
            case "fcntl" or "fcntl64":
                if (Arg(1) is "F_SETLK" or "F_SETLKW" or "F_OFD_SETLK" or "F_OFD_SETLKW" or "F_SETLK64" or "F_SETLKW64")
                {
                    Descriptor(Arg(0), PathAccess.Lock, directory: false);
                }

                break;
            case "mkdir":
                PathUsed(Resolve(pid, "AT_FDCWD", Arg(0)), PathAccess.Write, directory: true);
                break;
            case "mkdirat":
                PathUsed(Resolve(pid, Arg(0), Arg(1)), PathAccess.Write, directory: true);
                break;
            case "rmdir":
                PathUsed(Resolve(pid, "AT_FDCWD", Arg(0)), PathAccess.Write, directory: true);
                break;
            case "unlink" or "chmod" or "chown" or "lchown" or "truncate" or "truncate64" or "utime" or "utimes" or "mknod":
                PathUsed(Resolve(pid, "AT_FDCWD", Arg(0)), PathAccess.Write, directory: false);
                if (ImpliedCapability(name, args) is { } pathCapability)
                {
                    recording.AddCapability(pathCapability);
                }

                break;
            case "unlinkat":
                PathUsed(Resolve(pid, Arg(0), Arg(1)), PathAccess.Write, directory: Arg(2)?.Contains("AT_REMOVEDIR", StringComparison.Ordinal) == true);
                break;
            case "fchmodat" or "fchownat" or "utimensat" or "futimesat" or "mknodat":
                if (ImpliedCapability(name, args) is { } atCapability)
                {
                    recording.AddCapability(atCapability);
                }

                if (Arg(1) is not (null or "NULL" or "\"\""))
                {
                    PathUsed(Resolve(pid, Arg(0), Arg(1)), PathAccess.Write, directory: false);
                }
                else
                {
                    Descriptor(Arg(0), PathAccess.Write, directory: false);
                }

                break;
            case "fchmod" or "fchown" or "ftruncate" or "ftruncate64":
                Descriptor(Arg(0), PathAccess.Write, directory: false);
                if (name == "fchown")
                {
                    recording.AddCapability("chown");
                }

                break;
            case "rename" or "link":
                PathUsed(Resolve(pid, "AT_FDCWD", Arg(0)), PathAccess.Write, directory: false);
                PathUsed(Resolve(pid, "AT_FDCWD", Arg(1)), PathAccess.Write, directory: false);
                break;
            case "renameat" or "renameat2" or "linkat":
                PathUsed(Resolve(pid, Arg(0), Arg(1)), PathAccess.Write, directory: false);
                PathUsed(Resolve(pid, Arg(2), Arg(3)), PathAccess.Write, directory: false);
                break;
            case "symlink":
                PathUsed(Resolve(pid, "AT_FDCWD", Arg(1)), PathAccess.Write, directory: false);
                break;
            case "symlinkat":
                PathUsed(Resolve(pid, Arg(1), Arg(2)), PathAccess.Write, directory: false);
                break;
            case "socket" or "socketpair":
                Socket(Arg(0), Arg(1));
                break;
            case "bind":
                if (Arg(1) is { } address && PortField().Match(address) is { Success: true } port
                    && int.TryParse(port.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and < 1024)
                {
                    recording.AddCapability("net_bind_service");
                }

                break;
            default:
                if (ImpliedCapability(name, args) is { } capability)
                {
                    recording.AddCapability(capability);
                }

                break;
        }
    }

    /// <summary>Capabilities a successful syscall implies when made as root in a container (a trace cannot show the rest: dac_override, fowner).</summary>
    private static string? ImpliedCapability(string name, IReadOnlyList<string> args) => name switch
    {
        "setuid" or "setuid32" or "setreuid" or "setreuid32" or "setresuid" or "setresuid32" or "setfsuid" or "setfsuid32" => "setuid",
        "setgid" or "setgid32" or "setregid" or "setregid32" or "setresgid" or "setresgid32" or "setfsgid" or "setfsgid32" or "setgroups" or "setgroups32" => "setgid",
        "chown" or "lchown" or "fchown" or "fchown32" or "lchown32" or "chown32" or "fchownat" => "chown",
        "mknod" or "mknodat" when args.Any(a => a.Contains("S_IFCHR", StringComparison.Ordinal) || a.Contains("S_IFBLK", StringComparison.Ordinal)) => "mknod",
        "chroot" => "sys_chroot",
        "mount" or "umount" or "umount2" or "pivot_root" or "sethostname" or "setdomainname" or "unshare" or "setns" or "swapon" or "swapoff" or "quotactl" or "fanotify_init" or "fsopen" or "fsmount" or "move_mount" or "open_tree" => "sys_admin",
        "settimeofday" or "clock_settime" or "adjtimex" or "clock_adjtime" or "stime" => "sys_time",
        "iopl" or "ioperm" => "sys_rawio",
        "reboot" or "kexec_load" or "kexec_file_load" => "sys_boot",
        "init_module" or "finit_module" or "delete_module" => "sys_module",
        "acct" => "sys_pacct",
        "syslog" => "syslog",
        "ptrace" when args.Count > 0 && args[0] is "PTRACE_ATTACH" or "PTRACE_SEIZE" => "sys_ptrace",
        "bpf" => "bpf",
        _ => null,
    };

    private void Opened(int pid, string? dirfd, string? pathArgument, string? flags, string result)
    {
        if (flags is null || flags.Contains("O_PATH", StringComparison.Ordinal))
        {
            return;
        }

        var access = flags.Contains("O_RDWR", StringComparison.Ordinal) ? PathAccess.Read | PathAccess.Write
            : flags.Contains("O_WRONLY", StringComparison.Ordinal) ? PathAccess.Write
            : PathAccess.Read;
        if (flags.Contains("O_CREAT", StringComparison.Ordinal) || flags.Contains("O_TRUNC", StringComparison.Ordinal) || flags.Contains("O_APPEND", StringComparison.Ordinal))
        {
            access |= PathAccess.Write;
        }

        var directory = flags.Contains("O_DIRECTORY", StringComparison.Ordinal);

        // With -y the result names the file the kernel opened (symlinks resolved), which is what AppArmor mediates.
        var path = StraceLine.DescriptorPath(result) ?? Resolve(pid, dirfd, pathArgument);
        PathUsed(path, access, directory);
    }

    private void Executed(string? path)
    {
        if (path is null)
        {
            return;
        }

        PathUsed(path, PathAccess.Execute | PathAccess.Read | PathAccess.MapExecutable, directory: false);
        if (!recording.Executables.Contains(path))
        {
            recording.Executables.Add(path);
        }
    }

    private void Descriptor(string? argument, PathAccess access, bool directory)
    {
        if (argument is not null && StraceLine.DescriptorPath(argument) is { } path)
        {
            PathUsed(path, access, directory);
        }
    }

    private void Socket(string? domain, string? type)
    {
        if (domain is null || type is null || !domain.StartsWith("AF_", StringComparison.Ordinal))
        {
            return;
        }

        var family = domain switch
        {
            "AF_LOCAL" or "AF_UNIX" or "AF_FILE" => "unix",
            _ => domain[3..].ToLowerInvariant(),
        };
        var kind = type.Split('|')[0] switch
        {
            "SOCK_STREAM" => "stream",
            "SOCK_DGRAM" => "dgram",
            "SOCK_RAW" => "raw",
            "SOCK_SEQPACKET" => "seqpacket",
            "SOCK_RDM" => "rdm",
            "SOCK_PACKET" => "packet",
            _ => null,
        };
        recording.AddNetwork(kind is null ? family : family + " " + kind);
        if (family == "packet" || (kind == "raw" && family is "inet" or "inet6"))
        {
            recording.AddCapability("net_raw");
        }
    }

    private void PathUsed(string? path, PathAccess access, bool directory)
    {
        if (path is null || path.Length == 0 || path[0] != '/')
        {
            return;
        }

        if (path.Any(char.IsControl))
        {
            recording.Warn("a path with control characters is left out of the AppArmor rules");
            return;
        }

        var normal = ProcFold(Normalize(path));
        if (directory && !normal.EndsWith('/'))
        {
            normal += "/";
        }

        recording.AddPath(normal, access);
    }

    private string? Resolve(int pid, string? dirfd, string? pathArgument)
    {
        if (pathArgument is null)
        {
            return null;
        }

        var path = StraceLine.DecodeString(pathArgument);
        if (path is null)
        {
            if (pathArgument.StartsWith('"'))
            {
                recording.Warn("a path strace cut short (raise strace -s) is left out of the AppArmor rules");
            }

            return null;
        }

        if (path.StartsWith('/'))
        {
            return path;
        }

        var directory = dirfd is null ? Cwd(pid) : StraceLine.DescriptorPath(dirfd) ?? (dirfd == "AT_FDCWD" ? Cwd(pid) : null);
        return directory is null ? null : directory.TrimEnd('/') + "/" + path;
    }

    private string Cwd(int pid) => cwd.TryGetValue(pid, out var directory) ? directory : startDirectory;

    /// <summary>Folds . and .. (lexically, as the path was given) and repeated slashes.</summary>
    private static string Normalize(string path)
    {
        var folded = LexicalPath.Fold(path);
        return "/" + folded + (path.EndsWith('/') && folded.Length > 0 ? "/" : string.Empty);
    }

    /// <summary>/proc/self, /proc/thread-self and /proc/1234 become AppArmor's @{pid} (and @{tid} under task/).</summary>
    private static string ProcFold(string path)
    {
        if (!path.StartsWith("/proc/", StringComparison.Ordinal))
        {
            return path;
        }

        var folded = ProcPid().Replace(path, "/proc/@{pid}$1");
        return ProcTask().Replace(folded, "/task/@{tid}$1");
    }

    [GeneratedRegex(@"^\[ Process PID=(\d+) runs in (32|64|x32) bit mode\. \]$")]
    private static partial Regex PersonalityChange();

    [GeneratedRegex(@"flags=([A-Z0-9_|]+)")]
    private static partial Regex FlagsField();

    [GeneratedRegex(@"sin6?_port=htons\((\d+)\)")]
    private static partial Regex PortField();

    [GeneratedRegex(@"^/proc/(?:self|thread-self|\d+)(/|$)")]
    private static partial Regex ProcPid();

    [GeneratedRegex(@"/task/\d+(/|$)")]
    private static partial Regex ProcTask();
}
