namespace Strata.Cli.Commands;

using System.CommandLine;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Ignoring;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Engine;
using Strata.Reporting;
using Strata.Secrets;

/// <summary><c>strata scan [TARGET…]</c>: the main job.</summary>
internal static class ScanCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var targets = new Argument<string[]>("targets")
        {
            Description = "Images (oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE, dir:DIR, docker://REF or a bare REF), Dockerfiles, Kubernetes manifests, seccomp profiles, OCI runtime config.json files, directories, or the word host. A KIND: prefix (dockerfile:, k8s:, seccomp:, runtime-config:, rootfs:) overrides detection. None: host and the bundled examples.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var kind = new Option<string?>("--kind")
        {
            Description = $"Treat every target as this kind instead of detecting it: {string.Join(", ", TargetKindNames.All)}.",
        };
        var hostRoot = new Option<string?>("--host-root")
        {
            Description = "Read host facts (/proc, /sys) under this directory instead of /.",
            Hidden = true,
        };

        var secretConfig = new Option<string?>("--secret-config")
        {
            Description = $"Secret scanner configuration (extra rules, disabled rules, allowed paths and values); default: {SecretScannerConfig.DefaultName} in the working directory, if there is one.",
        };

        var imageAccess = new ImageAccessArguments();
        var reportOptions = new ReportOptions<ScanDocument>(ReportWriterFactory.ForScan(io.ReportSettings), shared);
        var command = new Command("scan", "Scan targets at every layer that applies and report findings.") { targets, kind, hostRoot, secretConfig };
        reportOptions.AddTo(command);
        SharedOptions.Add(command, shared.Severity, shared.FailOn, shared.IgnoreFile, shared.Quiet, shared.NoProgress, shared.Debug);
        imageAccess.AddTo(command);
        command.SetAction((parse, cancellationToken) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), () => RunAsync(parse, shared, reportOptions, io, targets, kind, hostRoot, secretConfig, imageAccess.Read(parse), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, SharedOptions shared, ReportOptions<ScanDocument> reportOptions, CliIo io, Argument<string[]> targetsArgument, Option<string?> kindOption, Option<string?> hostRootOption, Option<string?> secretConfigOption, ImageAccessOptions imageAccess, CancellationToken cancellationToken)
    {
        var severities = ParseSeverities(parse.GetValue(shared.Severity));
        var failOn = parse.GetValue(shared.FailOn) is { } failOnText
            ? SeverityNames.TryParse(failOnText, out var parsed) ? parsed : throw StrataException.Usage($"--fail-on '{failOnText}': expected CRITICAL, HIGH, MEDIUM, LOW or INFO.")
            : (Severity?)null;

        TargetKind? forced = null;
        if (parse.GetValue(kindOption) is { } kindText)
        {
            forced = TargetKindNames.TryParse(kindText, out var k) ? k : throw StrataException.Usage($"--kind '{kindText}': expected one of {string.Join(", ", TargetKindNames.All)}.");
        }

        var texts = parse.GetValue(targetsArgument) ?? [];
        var resolved = texts.Length == 0 ? DefaultTargets() : [.. texts.Select(t => TargetResolver.Resolve(t, forced))];

        var ignorePath = parse.GetValue(shared.IgnoreFile);
        IReadOnlyList<IgnoreEntry> ignores = [];
        if (ignorePath is not null)
        {
            ignores = IgnoreFile.Load(ignorePath);
        }
        else if (File.Exists(Path.Combine(io.WorkingDirectory, IgnoreFile.DefaultName)))
        {
            ignorePath = IgnoreFile.DefaultName;
            ignores = IgnoreFile.Load(Path.Combine(io.WorkingDirectory, IgnoreFile.DefaultName));
        }

        var secretConfigPath = SecretConfigPath(io, parse.GetValue(secretConfigOption));

        using var loggers = StrataCli.CreateLoggerFactory(io, parse.GetValue(shared.Quiet), parse.GetValue(shared.Debug));
        var logger = loggers.CreateLogger("strata");
        var showProgress = !io.ErrorIsRedirected && !parse.GetValue(shared.NoProgress) && !parse.GetValue(shared.Quiet);
        var context = new ScanContext
        {
            Logger = logger,
            HostRoot = parse.GetValue(hostRootOption) ?? io.HostRoot,
            Progress = showProgress ? new TerminalProgress(io.Error) : null,
            ImageAccess = imageAccess,
            SecretConfigPath = secretConfigPath,
        };

        var registry = ScannerRegistry.CreateDefault();
        var engine = new ScanEngine(registry);
        var report = await engine.ScanAsync(
            resolved,
            new ScanOptions
            {
                Severities = severities,
                IgnoreEntries = ignores,
                IgnoreSource = ignorePath ?? IgnoreFile.DefaultName,
                Today = io.Today ?? DateOnly.FromDateTime(DateTime.UtcNow),
            },
            context,
            cancellationToken);

        foreach (var warning in report.Warnings)
        {
            if (!parse.GetValue(shared.Quiet))
            {
                await io.Error.WriteLineAsync($"warning: {warning}");
            }
        }

        await reportOptions.WriteAsync(parse, io, new ScanDocument(report, registry.Catalog), cancellationToken);

        if (report.Targets.Any(t => t.Error is not null))
        {
            foreach (var failed in report.Targets.Where(t => t.Error is not null))
            {
                await io.Error.WriteLineAsync($"strata: {failed.Target.Name}: {failed.Error}");
            }

            return (int)ExitCode.Error;
        }

        return failOn is Severity threshold && report.Findings.Any(f => f.Severity >= threshold) ? (int)ExitCode.Findings : (int)ExitCode.Clean;
    }

    /// <summary>The secret configuration to use, as a full path, read once here so a bad file stops the scan before it starts.</summary>
    private static string? SecretConfigPath(CliIo io, string? given)
    {
        var path = given is not null
            ? Path.GetFullPath(given, io.WorkingDirectory)
            : Path.Combine(io.WorkingDirectory, SecretScannerConfig.DefaultName);
        if (given is null && !File.Exists(path))
        {
            return null;
        }

        // Builds the scanner too: a rule that does not compile or a disable naming no rule fail here, before any target is read.
        _ = new SecretScanner(SecretScannerConfig.Load(path));
        return path;
    }

    private static HashSet<Severity>? ParseSeverities(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        var result = new HashSet<Severity>();
        foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            result.Add(SeverityNames.TryParse(value, out var severity) ? severity : throw StrataException.Usage($"--severity '{value}': expected CRITICAL, HIGH, MEDIUM, LOW or INFO."));
        }

        return result;
    }

    /// <summary>With no target: the host, and every file of the bundled example workload.</summary>
    internal static List<ScanTarget> DefaultTargets()
    {
        var targets = new List<ScanTarget> { TargetResolver.Resolve("host") };
        var examples = Path.Combine(AppContext.BaseDirectory, "examples");
        if (!Directory.Exists(examples))
        {
            throw StrataException.BadInput($"{examples}: the bundled examples are missing from this installation.");
        }

        foreach (var file in Directory.EnumerateFiles(examples, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file).Equals("README.md", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var kind = TargetResolver.DetectFile(file);
            var name = "examples/" + Path.GetRelativePath(examples, file).Replace('\\', '/');
            targets.Add(new ScanTarget(kind, name, file));
        }

        return targets;
    }
}
