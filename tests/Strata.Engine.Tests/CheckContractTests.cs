namespace Strata.Engine.Tests;

using System.Collections;
using Strata.Core.Checks;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Testing;

/// <summary>The one check contract: where checks are listed, how they are named, and what a check that does not apply says.</summary>
public sealed class CheckContractTests
{
    private static readonly ScannerRegistry Registry = ScannerRegistry.CreateDefault();

    /// <summary>
    /// Each check as its scanner lists it: the scanner, the check object and its rule. A scanner lists them in
    /// <c>Checks</c>, and checks of another subject in a property named for it (the Dockerfile's <c>ContextChecks</c>).
    /// </summary>
    private static IEnumerable<(ITargetScanner Scanner, object Check, Rule Rule)> ListedChecks()
    {
        foreach (var scanner in Registry.Scanners)
        {
            Assert.True(scanner.GetType().GetProperty("Checks") is not null, $"the {scanner.Name} scanner has no Checks property");
            var checks = scanner.GetType().GetProperties()
                .Where(p => p.Name.EndsWith("Checks", StringComparison.Ordinal))
                .SelectMany(p => Assert.IsAssignableFrom<IEnumerable>(p.GetValue(scanner)).Cast<object>());
            foreach (var check in checks)
            {
                Assert.True(IsCheck(check.GetType()), $"{check.GetType().Name} does not derive from Check<TSubject>");
                var rule = Assert.IsType<Rule>(check.GetType().GetProperty(nameof(Check<object>.Rule))?.GetValue(check));
                yield return (scanner, check, rule);
            }
        }
    }

    [Fact]
    public void Every_scanner_lists_its_checks_and_the_checks_make_the_catalog_with_the_secret_rules()
    {
        var listed = ListedChecks().ToList();
        Assert.All(listed, c => Assert.Contains(c.Scanner.Rules, r => r.Id == c.Rule.Id));
        Assert.Equal(
            Registry.Catalog.Rules.Where(r => r.Family != "SEC").Select(r => r.Id).Order(StringComparer.Ordinal),
            listed.Select(c => c.Rule.Id).Order(StringComparer.Ordinal));
    }

    /// <summary>One class per check, named for what it checks, in a file named after its rule (binskim's <c>BA3011.EnableBindNow.cs</c>).</summary>
    [Fact]
    public void Every_check_has_a_unique_name_and_sits_in_a_file_named_after_its_rule()
    {
        // A data-driven check is one class for the entries of a table: one data entry per rule, the class named for the kind.
        var listed = ListedChecks().ToList();
        var classes = listed.Where(c => !IsDataDriven(c.Check.GetType())).ToList();
        var duplicates = classes.GroupBy(c => c.Check.GetType().Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "Check classes with the same name: " + string.Join(", ", duplicates));
        var files = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        Assert.All(classes, c => Assert.Contains($"{c.Rule.Id.Replace("-", string.Empty, StringComparison.Ordinal)}.{c.Check.GetType().Name}.cs", files));
        foreach (var type in listed.Select(c => c.Check.GetType()).Where(IsDataDriven).Distinct())
        {
            Assert.Contains($"{type.Name}.cs", files);
            var data = type.GetCustomAttributes(typeof(DataDrivenCheckAttribute), false).Cast<DataDrivenCheckAttribute>().Single().DataFile;
            Assert.True(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), Path.GetFileName(data), SearchOption.AllDirectories).Any(), $"{type.Name}: its table {data} is missing");
        }
    }

    private static bool IsDataDriven(Type type) => type.IsDefined(typeof(DataDrivenCheckAttribute), false);

    [Fact]
    public async Task Image_checks_that_do_not_apply_to_a_root_filesystem_say_why_at_debug_level()
    {
        using var root = new TempDirectory("strata-rootfs");
        root.WriteFile("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        var logger = new CollectingLogger();
        var target = new ScanTarget(TargetKind.RootFs, "rootfs:" + root.Path, root.Path);
        foreach (var scanner in Registry.For(TargetKind.RootFs))
        {
            await scanner.ScanAsync(target, new ScanContext { Logger = logger }, CancellationToken.None);
        }

        foreach (var id in new[] { "IMG-011", "IMG-012", "IMG-013", "IMG-014" })
        {
            Assert.Contains($"Debug: {id} does not apply to {target.Name}: a root filesystem has no image config", logger.Messages);
        }

        Assert.Contains($"Debug: IMG-018 does not apply to {target.Name}: a root filesystem has no layers to hide content in", logger.Messages);
        Assert.DoesNotContain(logger.Messages, m => m.Contains("IMG-002 does not apply", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Host_checks_without_their_proc_files_say_why_at_debug_level()
    {
        using var root = new TempDirectory("strata-host");
        var logger = new CollectingLogger();
        var findings = new List<Core.Findings.Finding>();
        foreach (var scanner in Registry.For(TargetKind.Host))
        {
            findings.AddRange(await scanner.ScanAsync(new ScanTarget(TargetKind.Host, "host", "/"), new ScanContext { Logger = logger, HostRoot = root.Path }, CancellationToken.None));
        }

        Assert.Empty(findings);
        Assert.Contains(logger.Messages, m => m.StartsWith("Debug: KRN-001 does not apply to host: neither /proc/sys/kernel/unprivileged_userns_clone nor /proc/sys/user/max_user_namespaces", StringComparison.Ordinal));
        Assert.Contains(logger.Messages, m => m.StartsWith("Debug: KRN-002 does not apply to host: /proc/sys/kernel/unprivileged_bpf_disabled cannot be read", StringComparison.Ordinal));
        Assert.Contains(logger.Messages, m => m.StartsWith("Debug: CAP-001 does not apply to host: Strata does not run in a container", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pod_checks_that_do_not_apply_to_a_windows_pod_say_why_at_debug_level()
    {
        using var directory = new TempDirectory("strata-pod");
        var path = directory.WriteFile("pod.yaml", ExampleTargets.PodManifest("os:\n  name: windows\ncontainers:\n- name: app\n  image: mcr.microsoft.com/windows/nanoserver:ltsc2022"));
        var logger = new CollectingLogger();
        foreach (var scanner in Registry.For(TargetKind.KubernetesManifest))
        {
            await scanner.ScanAsync(new ScanTarget(TargetKind.KubernetesManifest, path, path), new ScanContext { Logger = logger }, CancellationToken.None);
        }

        Assert.Contains($"Debug: PSS-003 does not apply to {path}: Pod/example runs on Windows (spec.os.name), which has no privilege escalation control", logger.Messages);
    }

    private static bool IsCheck(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Check<>))
            {
                return true;
            }
        }

        return false;
    }
}
