namespace Strata.Kernel.Containment;

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

/// <summary>What one probed system call did.</summary>
public enum SyscallOutcome
{
    /// <summary>The kernel ran it: an error only the call itself gives (EFAULT, EBADF, EINVAL…) or success.</summary>
    Allowed,

    /// <summary>EPERM or EACCES: a seccomp filter, or a capability the process lacks (see <see cref="SyscallResult.MissingCapability"/>).</summary>
    Denied,

    /// <summary>ENOSYS: a seccomp filter that pretends the call does not exist (Docker's answer to clone3), or a kernel without it.</summary>
    NotImplemented,

    /// <summary>The probing process died with SIGSYS: a seccomp filter whose action kills.</summary>
    Killed,
}

/// <summary>The outcome of one probe, with the error number the kernel returned.</summary>
public sealed record SyscallResult(string Name, long Number, SyscallOutcome Outcome, int Errno, string? MissingCapability);

/// <summary>
/// `strata inside --probe-syscalls`: tries security-relevant system calls in a child process, with arguments that make
/// the kernel fail them harmlessly once it runs them (a NULL pointer, a bad descriptor, an invalid flag, a wrong magic
/// number), and reports which ones were refused before they ran. The child is this program again
/// (<c>inside --probe-child N</c>); it prints one line per call, so a call that kills it is known, and a new child
/// goes on after it.
/// </summary>
public static class SyscallProbe
{
    private const int EPERM = 1;
    private const int EACCES = 13;
    private const int ENOSYS = 38;
    private const long Bad = -1;

    /// <summary>A probe: the call, its numbers on x86-64 and arm64 (-1: none there), its arguments, the capability the kernel checks before it looks at them.</summary>
    private sealed record Probe(string Name, long X64, long Arm64, long[] Args, string? Capability = null);

    // Arguments are chosen so that an allowed call fails before it changes anything: NULL (0) where the kernel copies
    // a path or a structure first, -1 for descriptors, invalid flags or magic numbers where the capability check comes
    // first. Calls that would act with harmless-looking arguments (vhangup, unshare of a real namespace) are not probed.
    private static readonly Probe[] Probes =
    [
        new("acct", 163, 89, [1], "CAP_SYS_PACCT"),
        new("add_key", 248, 217, [0, 0, 0, 0, 0]),
        new("adjtimex", 159, 171, [0]),
        new("bpf", 321, 280, [Bad, 0, 0], "CAP_BPF"),
        new("chroot", 161, 51, [0]),
        new("clock_adjtime", 305, 266, [0, 0]),
        new("clock_settime", 227, 112, [0, 0]),
        new("clone3", 435, 435, [0, 0]),
        new("delete_module", 176, 106, [0, 0], "CAP_SYS_MODULE"),
        new("fanotify_init", 300, 262, [Bad, 0], "CAP_SYS_ADMIN"),
        new("finit_module", 313, 273, [Bad, 0, 0], "CAP_SYS_MODULE"),
        new("fsconfig", 431, 431, [Bad, Bad, 0, 0, 0]),
        new("fsmount", 432, 432, [Bad, Bad, 0], "CAP_SYS_ADMIN"),
        new("fsopen", 430, 430, [0, Bad], "CAP_SYS_ADMIN"),
        new("fspick", 433, 433, [Bad, 0, Bad], "CAP_SYS_ADMIN"),
        new("init_module", 175, 105, [0, 0, 0], "CAP_SYS_MODULE"),
        new("io_uring_setup", 425, 425, [0, 0]),
        new("ioperm", 173, -1, [Bad, Bad, 1]),
        new("iopl", 172, -1, [4], "CAP_SYS_RAWIO"),
        new("kcmp", 312, 272, [0, 0, Bad, 0, 0]),
        new("kexec_file_load", 320, 294, [Bad, Bad, 0, 0, Bad], "CAP_SYS_BOOT"),
        new("kexec_load", 246, 104, [0, 0, 0, 0x7fff0000], "CAP_SYS_BOOT"),
        new("keyctl", 250, 219, [Bad, 0, 0, 0, 0]),
        new("mount", 165, 40, [0, 0, 0, 0, 0]),
        new("mount_setattr", 442, 442, [Bad, 0, Bad, 0, 0]),
        new("move_mount", 429, 429, [Bad, 0, Bad, 0, Bad]),
        new("name_to_handle_at", 303, 264, [Bad, 0, 0, 0, Bad]),
        new("open_by_handle_at", 304, 265, [Bad, 0, 0], "CAP_DAC_READ_SEARCH"),
        new("open_tree", 428, 428, [Bad, 0, Bad]),
        new("perf_event_open", 298, 241, [0, 0, Bad, Bad, 0]),
        new("pidfd_getfd", 438, 438, [Bad, Bad, 0]),
        new("pivot_root", 155, 41, [0, 0], "CAP_SYS_ADMIN"),
        new("process_vm_readv", 310, 270, [0, 0, 0, 0, 0, 1]),
        new("process_vm_writev", 311, 271, [0, 0, 0, 0, 0, 1]),
        new("ptrace", 101, 117, [Bad, 0, 0, 0]),
        new("quotactl", 179, 60, [0, 0, 0, 0]),
        new("reboot", 169, 142, [0, 0, 0, 0], "CAP_SYS_BOOT"),
        new("request_key", 249, 218, [0, 0, 0, 0]),
        new("setdomainname", 171, 162, [0, Bad], "CAP_SYS_ADMIN"),
        new("sethostname", 170, 161, [0, Bad], "CAP_SYS_ADMIN"),
        new("setns", 308, 268, [Bad, 0]),
        new("settimeofday", 164, 170, [0, 0], "CAP_SYS_TIME"),
        new("swapoff", 168, 225, [0], "CAP_SYS_ADMIN"),
        new("swapon", 167, 224, [0, 0], "CAP_SYS_ADMIN"),
        new("syslog", 103, 116, [10, 0, 0], "CAP_SYSLOG"),
        new("umount2", 166, 39, [0, 0]),
        new("unshare", 272, 97, [1]),
        new("userfaultfd", 323, 282, [Bad]),
    ];

    /// <summary>Probes every call and returns the results in probe order.</summary>
    /// <param name="capabilities">The effective set, to say which refusals a missing capability explains.</param>
    public static async Task<IReadOnlyList<SyscallResult>> RunAsync(Capabilities.CapabilitySet capabilities, CancellationToken cancellationToken)
    {
        var results = new List<SyscallResult>();
        var probes = Available();
        var start = 0;
        while (start < probes.Count)
        {
            var (lines, exitCode) = await RunChildAsync(start, cancellationToken);
            foreach (var line in lines)
            {
                var fields = line.Split(' ');
                if (fields.Length == 2 && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index == start
                    && int.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var errno))
                {
                    results.Add(Result(probes[index], errno, capabilities));
                    start++;
                }
            }

            if (start < probes.Count)
            {
                // The child died at probes[start]: 128 + 31 is SIGSYS, a seccomp filter that kills; anything else is reported as such too.
                if (exitCode != 128 + 31)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the syscall probe stopped at {probes[start].Name} with exit code {exitCode}"));
                }

                results.Add(new SyscallResult(probes[start].Name, Number(probes[start]), SyscallOutcome.Killed, 0, null));
                start++;
            }
        }

        return results;
    }

    /// <summary>The child's work: from probe <paramref name="start"/> on, one line "INDEX ERRNO" per call (0 for success), flushed at once.</summary>
    public static void RunInChild(int start, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var probes = Available();
        for (var i = Math.Max(0, start); i < probes.Count; i++)
        {
            var probe = probes[i];
            var a = probe.Args;
            var result = NativeMethods.Syscall(Number(probe), Arg(a, 0), Arg(a, 1), Arg(a, 2), Arg(a, 3), Arg(a, 4), Arg(a, 5));
            var errno = result == -1 ? Marshal.GetLastPInvokeError() : 0;
            output.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{i} {errno}\n")));
            output.Flush();
        }
    }

    private static long Arg(long[] args, int index) => index < args.Length ? args[index] : 0;

    private static List<Probe> Available() => [.. Probes.Where(p => Number(p) >= 0)];

    private static long Number(Probe probe) => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => probe.X64,
        Architecture.Arm64 => probe.Arm64,
        _ => -1,
    };

    private static SyscallResult Result(Probe probe, int errno, Capabilities.CapabilitySet capabilities)
    {
        var outcome = errno switch
        {
            EPERM or EACCES => SyscallOutcome.Denied,
            ENOSYS => SyscallOutcome.NotImplemented,
            _ => SyscallOutcome.Allowed,
        };
        var missing = outcome == SyscallOutcome.Denied && probe.Capability is { } cap && !capabilities.Contains(cap) ? cap : null;
        return new SyscallResult(probe.Name, Number(probe), outcome, errno, missing);
    }

    private static async Task<(List<string> Lines, int ExitCode)> RunChildAsync(int start, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown, so the syscall probe cannot start a child");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // The JIT build runs as `dotnet strata.dll`.
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "strata.dll"));
        }

        foreach (var argument in new[] { "inside", "--probe-child", start.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        using var child = Process.Start(info) ?? throw new InvalidOperationException("the syscall probe could not start a child");
        child.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = child.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = child.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }

        var text = await stdout;
        _ = await stderr;
        return ([.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)], child.ExitCode);
    }
}
