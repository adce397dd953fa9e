namespace Strata.Runtime.Tests;

using System.Globalization;
using Strata.Runtime.Seccomp;
using Strata.Testing;

/// <summary>The embedded syscall tables against libseccomp's own resolver (Debian package seccomp), every name and number.</summary>
public sealed class SeccompSyscallTableTests
{
    // The ARM private syscalls (breakpoint, cacheflush, usr26, usr32, set_tls) sit above __ARM_NR_BASE.
    private const int ArmPrivateBase = 0x0f0000;

    [Fact]
    public void Tables_cover_the_seven_architectures()
    {
        Assert.Equal(["x86_64", "x86", "aarch64", "arm", "riscv64", "s390x", "ppc64le"], SyscallTable.All.Select(t => t.Name));
        Assert.Equal(0, SyscallTable.Find("amd64")!.ByName["read"]);
        Assert.Equal(63, SyscallTable.Find("SCMP_ARCH_AARCH64")!.ByName["read"]);
        Assert.False(SyscallTable.Find("aarch64")!.ByName.ContainsKey("open"));
    }

    [Fact]
    public async Task Every_name_and_number_matches_scmp_sys_resolver()
    {
        using var gate = new SemaphoreSlim(4);
        var mismatches = new List<string>();
        var checks = new List<Task>();
        foreach (var table in SyscallTable.All)
        {
            var generated = SyscallTable.Lines(table.Name + ".tsv").ToDictionary(f => f[0], f => int.Parse(f[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
            Assert.True(generated.Count > 250, $"{table.Name} has only {generated.Count} syscalls");

            // Every number resolves to its name. (By name, libseccomp answers some with a negative pseudo-number: x86's socket
            // calls, which it also filters through socketcall.)
            foreach (var (name, number) in generated)
            {
                checks.Add(CheckAsync(gate, table.Name, number.ToString(CultureInfo.InvariantCulture), name, mismatches));
            }

            // Every number the table lacks, up to past its highest and over ARM's private range, is unknown to libseccomp too.
            var highest = generated.Values.Where(n => n < ArmPrivateBase).Max();
            var numbers = Enumerable.Range(0, highest + 16).Concat(table.Name == "arm" ? Enumerable.Range(ArmPrivateBase, 16) : []);
            foreach (var number in numbers.Where(n => !table.ByNumber.ContainsKey(n)))
            {
                checks.Add(CheckAsync(gate, table.Name, number.ToString(CultureInfo.InvariantCulture), "UNKNOWN", mismatches));
            }
        }

        await Task.WhenAll(checks);
        Assert.Empty(mismatches);
    }

    [Fact]
    public async Task Syscalls_newer_than_the_resolver_are_unknown_to_it_or_agree()
    {
        foreach (var fields in SyscallTable.Newer)
        {
            foreach (var table in SyscallTable.All.Where(t => fields[2] == "*" || fields[2].Split(',').Contains(t.Name)))
            {
                var answer = (await ExternalTool.RunCheckedAsync("scmp_sys_resolver", "-a", table.Name, fields[0])).Trim();
                Assert.True(answer.StartsWith('-') || answer == fields[1], $"{table.Name} {fields[0]}: scmp_sys_resolver says {answer}, newer.txt {fields[1]}");
                Assert.Equal(int.Parse(fields[1], CultureInfo.InvariantCulture), table.ByName[fields[0]]);
            }
        }
    }

    private static async Task CheckAsync(SemaphoreSlim gate, string arch, string query, string expected, List<string> mismatches)
    {
        await gate.WaitAsync();
        try
        {
            var answer = (await ExternalTool.RunCheckedAsync("scmp_sys_resolver", "-a", arch, query)).Trim();
            if (answer != expected)
            {
                lock (mismatches)
                {
                    mismatches.Add($"{arch} {query}: scmp_sys_resolver says {answer}, the table {expected}");
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
