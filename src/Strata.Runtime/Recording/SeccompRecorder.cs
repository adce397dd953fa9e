namespace Strata.Runtime.Recording;

using System.ComponentModel;
using System.Diagnostics;
using Strata.Core;
using Strata.Runtime.Seccomp;

/// <summary>
/// Records what a command does by running it under <c>strace -f</c> (every child and thread followed, descriptors
/// annotated with their paths), and turns recordings into the minimal seccomp allowlist.
/// </summary>
public static class SeccompRecorder
{
    /// <summary>EPERM: what the recorded profile answers every other syscall with.</summary>
    public const uint Eperm = 1;

    /// <summary>Syscalls whose buffers strace would print: logged raw (addresses only).</summary>
    private const string DataSyscalls = "read,write,pread64,pwrite64,readv,writev,preadv,pwritev,preadv2,pwritev2,recvfrom,sendto,recvmsg,sendmsg,recvmmsg,sendmmsg,getrandom";

    /// <summary>
    /// Runs <paramref name="command"/> traced, with standard input, output and error passed through, and returns its exit
    /// status and the path of the strace log written to <paramref name="logPath"/>.
    /// </summary>
    public static async Task<int> TraceAsync(IReadOnlyList<string> command, string logPath, string workingDirectory, string strace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw StrataException.Usage("No command to record: give it after --.");
        }

        var start = new ProcessStartInfo(strace) { UseShellExecute = false, WorkingDirectory = workingDirectory };
        // -y names each descriptor's file; raw= keeps read and write buffers (possibly secrets) out of the log.
        foreach (var argument in (string[])["-f", "-qq", "-y", "-s", "4096", "-e", "signal=none", "-e", "raw=" + DataSyscalls, "-o", logPath, "--", .. command])
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw StrataException.BadInput($"Could not start {strace}.");
        }
        catch (Win32Exception e)
        {
            throw StrataException.BadInput($"Could not run {strace} ({e.Message}); install strace (Debian package strace) or give --strace PATH.", e);
        }

        using (process)
        {
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // strace kills the command it started when it is itself told to stop.
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                throw;
            }

            return process.ExitCode;
        }
    }

    /// <summary>
    /// The allowlist profile: default action SCMP_ACT_ERRNO (EPERM), <paramref name="arch"/> with its sub-architectures,
    /// one SCMP_ACT_ALLOW rule with the sorted names. Names no table knows are left out and returned.
    /// </summary>
    public static (SeccompProfile Profile, IReadOnlyList<string> Unknown) Build(IEnumerable<string> names, SyscallTable arch)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(arch);
        var tables = arch.SubArchitectures.Select(SyscallTable.Find).OfType<SyscallTable>().Prepend(arch).ToList();
        var known = new SortedSet<string>(StringComparer.Ordinal);
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            (tables.Any(t => t.ByName.ContainsKey(name)) ? known : unknown).Add(name);
        }

        var rules = known.Count == 0 ? [] : new[] { new SeccompRule([.. known], "SCMP_ACT_ALLOW", "$.syscalls[0]", null) };
        var profile = new SeccompProfile("SCMP_ACT_ERRNO", null, rules, "$")
        {
            DefaultErrnoRet = Eperm,
            Architectures = [arch.ScmpArch, .. arch.SubArchitectures],
            Format = SeccompFormat.Oci,
        };
        return (profile, [.. unknown]);
    }

    /// <summary>
    /// The names a profile lets through unconditionally for <paramref name="target"/> (a recording merged with --merge);
    /// argument-filtered and conditional rules are resolved as the runtime would first.
    /// </summary>
    public static IEnumerable<string> AllowedNames(SeccompProfile profile, SeccompTarget target)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var resolved = profile.IsConditional ? SeccompResolver.Resolve(profile, target) : profile;
        if (SeccompProfile.IsPermissive(resolved.DefaultAction))
        {
            throw StrataException.BadInput($"The profile's default action is {resolved.DefaultAction}: it is not an allowlist to merge.");
        }

        return resolved.Rules.Where(r => SeccompProfile.IsPermissive(r.Action)).SelectMany(r => r.Names);
    }
}
