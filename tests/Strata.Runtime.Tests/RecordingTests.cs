namespace Strata.Runtime.Tests;

using Strata.Runtime.AppArmor;
using Strata.Runtime.Recording;
using Strata.Runtime.Seccomp;
using Strata.Testing;

/// <summary>Reading strace and audit logs into recordings, the allowlist built from them, and AppArmor drafts checked by the real apparmor_parser.</summary>
public sealed class RecordingTests
{
    private static readonly SyscallTable X86 = SyscallTable.Find("x86_64")!;

    private static Task<TraceRecording> ReadAsync(string log, string cwd = "/work") =>
        StraceLog.ReadAsync(new StringReader(log), X86, cwd, CancellationToken.None);

    [Theory]
    [InlineData("1638  close(3</etc/hostname>)           = 0", StraceLineKind.Complete, 1638, "close", "3</etc/hostname>", "0")]
    [InlineData("[pid  77] openat(AT_FDCWD, \"/x\", O_RDONLY) = -1 ENOENT (No such file or directory)", StraceLineKind.Complete, 77, "openat", "AT_FDCWD, \"/x\", O_RDONLY", "-1 ENOENT (No such file or directory)")]
    [InlineData("688   prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=11, filter=0xc00010ff80} <unfinished ...>", StraceLineKind.Unfinished, 688, "prctl", "PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=11, filter=0xc00010ff80}", null)]
    [InlineData("684   <... execve resumed>)             = 0", StraceLineKind.Resumed, 684, "execve", "", "0")]
    [InlineData("exit_group(0)                     = ?", StraceLineKind.Complete, 0, "exit_group", "0", "?")]
    [InlineData("12 14:03:11.123456 getpid() = 12", StraceLineKind.Complete, 12, "getpid", "", "12")]
    [InlineData("+++ exited with 0 +++", StraceLineKind.Other, 0, null, null, null)]
    [InlineData("--- SIGCHLD {si_signo=SIGCHLD} ---", StraceLineKind.Other, 0, null, null, null)]
    public void Lines_split_into_pid_name_arguments_and_result(string text, StraceLineKind kind, int pid, string? name, string? arguments, string? result)
    {
        var line = StraceLine.Parse(text);
        Assert.Equal(kind, line.Kind);
        if (kind != StraceLineKind.Other)
        {
            Assert.Equal(pid, line.Pid);
            Assert.Equal(name, line.Name);
            Assert.Equal(arguments, line.Arguments);
            Assert.Equal(result, line.Result);
        }
    }

    [Fact]
    public void Arguments_split_outside_strings_brackets_and_escaped_annotations()
    {
        var args = StraceLine.SplitArguments("AT_FDCWD</tmp/a,b>, \"q\\\"x,y\", {flags=O_RDONLY, mode=0}, 3</tmp/c\\76d\\\"e,f>, [1, 2]");
        Assert.Equal(["AT_FDCWD</tmp/a,b>", "\"q\\\"x,y\"", "{flags=O_RDONLY, mode=0}", "3</tmp/c\\76d\\\"e,f>", "[1, 2]"], args);
        Assert.Equal("/tmp/c>d\"e,f", StraceLine.DescriptorPath(args[3]));
        Assert.Equal("/tmp/a,b", StraceLine.DescriptorPath(args[0]));
        Assert.Equal("q\"x,y", StraceLine.DecodeString(args[1]));
        Assert.Equal("caf\u00e9\n", StraceLine.DecodeString("\"caf\\303\\251\\n\""));
        Assert.Null(StraceLine.DecodeString("\"/very/long/pa\"..."));
        Assert.Equal("/tmp/gone", StraceLine.DescriptorPath("4</tmp/gone (deleted)>"));
    }

    [Fact]
    public async Task A_log_gives_syscalls_paths_networks_and_capabilities()
    {
        var recording = await ReadAsync("""
            100   execve("/usr/bin/busybox", ["busybox", "httpd"], 0x7ffd /* 4 vars */) = 0
            100   openat(AT_FDCWD</work>, "www/index.html", O_RDONLY) = 3</work/www/index.html>
            100   openat(AT_FDCWD</work>, "/missing", O_RDONLY) = -1 ENOENT (No such file or directory)
            100   socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4<socket:[99]>
            100   bind(4<socket:[99]>, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("0.0.0.0")}, 16) = 0
            100   clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>
            101   chdir("logs")                     = 0
            100   <... clone resumed>, child_tidptr=0x7f) = 101
            101   openat(AT_FDCWD, "access.log", O_WRONLY|O_CREAT|O_APPEND, 0644) = 5
            101   mkdirat(AT_FDCWD, "../cache", 0700) = 0
            101   getdents64(6</etc/ssl>, 0x55 /* 3 entries */, 32768) = 80
            101   mmap(NULL, 8192, PROT_READ|PROT_EXEC, MAP_PRIVATE, 7</usr/lib/libz.so.1>, 0) = 0x7f0000
            101   openat(AT_FDCWD, "/proc/self/status", O_RDONLY) = 8</proc/101/status>
            101   setgroups(0, NULL) = 0
            101   syscall_0x1b6(0x3, 0x4, 0) = -1 EPERM (Operation not permitted)
            101   exit_group(0)                     = ?
            """);

        Assert.Equal(["bind", "chdir", "clone", "execve", "exit_group", "getdents64", "mkdirat", "mmap", "openat", "pidfd_getfd", "setgroups", "socket"], recording.Syscalls.Keys);
        Assert.Equal(1, recording.Syscalls["clone"]); // counted at entry, not again when resumed
        Assert.Equal(4, recording.Syscalls["openat"]);
        Assert.Equal(PathAccess.Read | PathAccess.Execute | PathAccess.MapExecutable, recording.Paths["/usr/bin/busybox"]);
        Assert.Equal(PathAccess.Read, recording.Paths["/work/www/index.html"]);
        Assert.Equal(PathAccess.Write, recording.Paths["/work/logs/access.log"]); // the child's cwd after chdir
        Assert.Equal(PathAccess.Write, recording.Paths["/work/cache/"]);
        Assert.Equal(PathAccess.Read, recording.Paths["/etc/ssl/"]);
        Assert.Equal(PathAccess.Read | PathAccess.MapExecutable, recording.Paths["/usr/lib/libz.so.1"]);
        Assert.Equal(PathAccess.Read, recording.Paths["/proc/@{pid}/status"]);
        Assert.False(recording.Paths.ContainsKey("/missing"));
        Assert.Equal(["inet stream"], recording.Networks);
        Assert.Equal(["net_bind_service", "setgid"], recording.Capabilities);
        Assert.Equal(["/usr/bin/busybox"], recording.Executables);
    }

    [Fact]
    public async Task Overlong_lines_are_skipped_with_a_warning_and_the_rest_is_read()
    {
        var log = "1 getpid() = 1\n1 openat(AT_FDCWD, \"" + new string('a', StraceLog.MaxLineChars + 10) + "\", O_RDONLY) = 3\n1 getuid() = 0\n";
        var recording = await ReadAsync(log);
        Assert.Equal(["getpid", "getuid"], recording.Syscalls.Keys);
        Assert.Contains(recording.Warnings, w => w.Contains("line 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_records_in_raw_and_interpreted_form_name_the_syscalls()
    {
        const string log = """
            type=SECCOMP msg=audit(1700000000.100:20): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=4242 comm="httpd" exe="/bin/busybox" sig=0 arch=c000003e syscall=59 compat=0 ip=0x4a2c1b code=0x7ffc0000
            Nov 30 10:00:00 node kernel: audit: type=1326 audit(1700000000.200:21): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=4242 comm="httpd" exe="/bin/busybox" sig=0 arch=c000003e syscall=1073741824 compat=0 ip=0x1 code=0x7ffc0000
            type=SECCOMP msg=audit(1700000000.300:22): pid=4242 comm=68747470 64 exe=2F62696E2F62757379626F78 arch=40000003 syscall=4 code=0x7ffc0000
            type=SECCOMP msg=audit(1700000000.400:23): pid=99 comm="other" exe="/usr/bin/other" arch=x86_64 syscall=ptrace code=0x7ffc0000
            type=SYSCALL msg=audit(1700000000.500:24): arch=c000003e syscall=2 success=yes pid=4242
            """;
        var all = new TraceRecording();
        Assert.Equal(4, await AuditLog.ReadAsync(new StringReader(log), AuditLog.Filter.All, all, CancellationToken.None));
        Assert.Equal(["execve", "ptrace", "read", "write"], all.Syscalls.Keys); // x32 read (bit 30), i386 write

        var busybox = new TraceRecording();
        var filter = new AuditLog.Filter(new HashSet<int>(), new HashSet<string>(["/bin/busybox"], StringComparer.Ordinal));
        Assert.Equal(3, await AuditLog.ReadAsync(new StringReader(log), filter, busybox, CancellationToken.None));
        Assert.DoesNotContain("ptrace", busybox.Syscalls.Keys);
        var byPid = new TraceRecording();
        Assert.Equal(1, await AuditLog.ReadAsync(new StringReader(log), new AuditLog.Filter(new HashSet<int>([99]), new HashSet<string>()), byPid, CancellationToken.None));
    }

    [Fact]
    public void Derived_baseline_starts_at_the_filter_and_follows_only_its_thread_group()
    {
        var derived = RuntimeBaseline.Derive("""
            10    seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, NULL) = -1 EFAULT (Bad address)
            10    clone(child_stack=0xc0000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS, tls=0xc0) = 11
            10    mount("proc", "/proc", "proc", 0, NULL) = 0
            10    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=11, filter=0xc00010ff80} <unfinished ...>
            20    epoll_pwait(4, [], 128, 0, NULL, 0) = 0
            10    <... prctl resumed>)              = 0
            11    nanosleep({tv_sec=0, tv_nsec=20000}, NULL) = 0
            10    fstatfs(5</proc/self/fd>, {f_type=PROC_SUPER_MAGIC}) = 0
            10    execve("/bin/busybox", ["/bin/busybox"], 0xc0 /* 3 vars */) = 0
            10    brk(NULL) = 0x1000
            """.Split('\n'));
        Assert.Equal(["execve", "fstatfs", "nanosleep"], derived);
        Assert.Null(RuntimeBaseline.Derive(["1 getpid() = 1"]));
    }

    [Fact]
    public void Built_profile_is_an_eperm_allowlist_for_the_arch_and_its_sub_architectures()
    {
        var (profile, unknown) = SeccompRecorder.Build(["write", "read", "no_such_call", "read", "socketcall"], X86);
        Assert.Equal("SCMP_ACT_ERRNO", profile.DefaultAction);
        Assert.Equal(1u, profile.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], profile.Architectures);
        Assert.Equal(["read", "socketcall", "write"], Assert.Single(profile.Rules).Names); // socketcall is an x86 (sub-architecture) syscall
        Assert.Equal(["no_such_call"], unknown);
        Assert.Contains("\"defaultErrnoRet\": 1", SeccompProfileWriter.Write(profile, SeccompFormat.Oci), StringComparison.Ordinal);
    }

    [Fact]
    public void Shipped_runc_baseline_names_real_syscalls()
    {
        var baseline = RuntimeBaseline.For("runc")!;
        Assert.Contains("fstatfs", baseline);
        Assert.All(baseline, name => Assert.True(X86.ByName.ContainsKey(name), name));
        Assert.Null(RuntimeBaseline.For("crun"));
    }

    [Fact]
    public async Task Apparmor_draft_with_hostile_paths_passes_the_real_parser()
    {
        var recording = await ReadAsync("""
            1   execve("/app/my server", ["x"], 0x7ff /* 3 vars */) = 0
            1   openat(AT_FDCWD</>, "/data/a b,c#d.txt", O_RDONLY) = 3</data/a b,c#d.txt>
            1   openat(AT_FDCWD</>, "/data/{x}[y]*?^@{HOME}.cfg", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4</data/{x}[y]*?^@{HOME}.cfg>
            1   openat(AT_FDCWD</>, "q\"x\\y", O_RDWR) = 5</data/q\"x\\y>
            1   openat(AT_FDCWD</>, "c>d<e", O_RDONLY) = 6</data/c\76d\74e>
            1   openat(AT_FDCWD</>, "caf\303\251", O_RDONLY) = 7</data/caf\303\251>
            1   openat(AT_FDCWD</>, "bad\n", O_RDONLY) = 8</data/bad\n>
            1   flock(5</data/q\"x\\y>, LOCK_EX) = 0
            1   socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 9<socket:[1]>
            1   chown("/data/owned", 0, 0) = 0
            """);
        var profile = AppArmorProfileGenerator.Generate(recording, new AppArmorOptions("strata-test"));
        Assert.Contains("  \"/data/\\{x\\}\\[y\\]\\*\\?\\^\\@\\{HOME\\}.cfg\" w,\n", profile, StringComparison.Ordinal);
        Assert.Contains("  \"/data/q\\\"x\\\\y\" rwk,\n", profile, StringComparison.Ordinal);
        Assert.Contains("  \"/app/my server\" mrix,\n", profile, StringComparison.Ordinal);
        Assert.Contains("  network netlink raw,\n", profile, StringComparison.Ordinal);
        Assert.Contains("  capability chown,\n", profile, StringComparison.Ordinal);
        Assert.DoesNotContain("bad", profile, StringComparison.Ordinal);
        Assert.Contains(recording.Warnings, w => w.Contains("control characters", StringComparison.Ordinal));
        await AppArmorParser.AssertParsesAsync(profile);

        var rooted = AppArmorProfileGenerator.Generate(recording, new AppArmorOptions("strata-rooted", "/data") { KernelInterfaceDenials = false });
        Assert.Contains("  \"/a b,c#d.txt\" r,\n", rooted, StringComparison.Ordinal);
        Assert.DoesNotContain("my server\" mrix", rooted, StringComparison.Ordinal);
        Assert.DoesNotContain("deny", rooted, StringComparison.Ordinal);
        await AppArmorParser.AssertParsesAsync(rooted);

        Assert.Throws<Core.StrataException>(() => AppArmorProfileGenerator.Generate(recording, new AppArmorOptions("bad name {")));
    }
}
