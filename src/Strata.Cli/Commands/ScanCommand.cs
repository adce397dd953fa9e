namespace Strata.Cli.Commands;

using System.CommandLine;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Ignoring;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Engine;
using Strata.Engine.Targets;
using Strata.Images.Dockerfile;
using Strata.Oci;
using Strata.Oci.Transports;
using Strata.Reporting;
using Strata.Kernel.KernelCves;
using Strata.Secrets;

/// <summary><c>strata scan [TARGET…]</c>: the main job.</summary>
internal static class ScanCommand
{
    /// <summary>The <c>scan</c> command and its <c>host</c> shorthand.</summary>
    public static (Command Scan, Command Host) Create(SharedOptions shared, CliIo io)
    {
        var targets = new Argument<string[]>("targets")
        {
            Description = $"Images ({ImageTransports.Syntaxes} or a bare REF), Dockerfiles, Kubernetes manifests, seccomp profiles, OCI runtime config.json files, root filesystems, source directories (every file of those kinds in them, the secret rules over the rest), other files (the secret rules), or the word host. A KIND: prefix ({TargetResolver.KindPrefixes}) overrides detection; KIND:DIR scans every file of that kind under DIR; KIND:- reads standard input (helm template … | strata scan k8s:-). None: host and the bundled examples.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var kind = new Option<string?>("--kind")
        {
            Description = $"Treat every target as this kind instead of detecting it: {string.Join(", ", TargetKindNames.All)}.",
        };
        var hostRoot = new Option<string?>("--root", "--host-root")
        {
            Description = "Audit the host under this directory instead of / (its proc, sys, etc and var/lib/dpkg: a copy of another machine's); runtime binaries are asked for their version only on the real host.",
            HelpName = "dir",
        };

        var kernelCveData = new Option<string?>("--kernel-cve-data")
        {
            Description = "The linux_kernel_cves data directory (stream_fixes.json, CVEs.txt): the host audit reports every CVE unfixed at the running kernel's version in its stable branch (KRN-011).",
            HelpName = "dir",
        };

        var secretConfig = new Option<string?>("--secret-config")
        {
            Description = $"Secret scanner configuration (extra rules, disabled rules, allowed paths and values); default: {SecretScannerConfig.DefaultName} in the working directory, if there is one.",
        };

        var dockerfileConfig = new Option<string?>("--dockerfile-config")
        {
            Description = $"Dockerfile lint configuration in hadolint's format (trustedRegistries, label-schema, strict-labels); default: {string.Join(" or ", DockerfileLintConfig.DefaultNames)} in the working directory, if there is one.",
        };

        var buildContext = new Option<string?>("--context")
        {
            Description = "Build context directory of the Dockerfiles named as targets (as in docker build -f Dockerfile DIR): what each COPY and ADD takes from it, with .dockerignore (or <Dockerfile>.dockerignore) applied as BuildKit applies it, is checked for secrets, .git/.env/keys/node_modules, files deleted later and credentials that should be secret mounts (DKF-080 to DKF-083). A Dockerfile found in a scanned directory has its own directory as context.",
            HelpName = "dir",
        };

        var failOnEvidence = new Option<string?>("--fail-on-evidence")
        {
            Description = $"Count a secret finding (SEC-) toward --fail-on only when its evidence is at least this strong, weakest first: {EvidenceKindNames.All}. Alone, it implies --fail-on LOW. Other findings count as usual.",
            HelpName = "kind",
        };

        var pssLevel = new Option<string>("--pss-level")
        {
            HelpName = "level",
            Description = "The Pod Security Standards level Kubernetes manifests are evaluated at: privileged, baseline or restricted (default). A Namespace of the input labelled pod-security.kubernetes.io/enforce sets its own pods'.",
            DefaultValueFactory = _ => "restricted",
        };
        pssLevel.AcceptOnlyFromAmong("privileged", "baseline", "restricted");
        var pssVersion = new Option<string>("--pss-version")
        {
            HelpName = "v1.N|latest",
            Description = "The Pod Security Standards version of that evaluation, as Pod Security Admission defines each: v1.0 to the newest, or latest (default).",
            DefaultValueFactory = _ => "latest",
        };

        var imageAccess = new ImageAccessArguments();
        var reportOptions = new ReportOptions<ScanDocument>(ReportWriterFactory.ForScan(io.ReportSettings), shared);
        var signaturePolicy = new Option<string?>("--policy")
        {
            HelpName = "file",
            Description = "Check image signatures against this containers-policy.json (SIG- rules; registries.d from $HOME/.config/containers/registries.d or /etc/containers/registries.d).",
        };
        var command = new Command("scan", "Scan targets at every layer that applies and report findings.") { targets, kind, hostRoot, kernelCveData, secretConfig, dockerfileConfig, buildContext, failOnEvidence, pssLevel, pssVersion, signaturePolicy };
        reportOptions.AddTo(command);
        SharedOptions.Add(command, shared.Severity, shared.FailOn, shared.IgnoreFile, shared.Limits, shared.Quiet, shared.NoProgress, shared.Debug);
        imageAccess.AddTo(command);
        command.SetAction((parse, cancellationToken) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), () => RunAsync(parse, shared, reportOptions, io, parse.GetValue(targets) ?? [], kind, hostRoot, kernelCveData, secretConfig, dockerfileConfig, buildContext, failOnEvidence, imageAccess.Read(parse, parse.GetValue(shared.Limits) ?? Limits.Default), new PodSecurityScanOptions(parse.GetValue(pssLevel) ?? "restricted", parse.GetValue(pssVersion) ?? "latest"), cancellationToken, parse.GetValue(signaturePolicy))));

        // `strata host`: the host audit alone, `strata scan host` with only the options that concern it.
        var hostReport = new ReportOptions<ScanDocument>(ReportWriterFactory.ForScan(io.ReportSettings), shared);
        var host = new Command("host", "Audit the host: kernel version against container-escape CVEs, kernel settings that widen the attack surface, cgroups, LSMs, seccomp, installed container runtimes against their CVEs, and (run in a container) how contained Strata is. The same as `strata scan host`.") { hostRoot, kernelCveData };
        hostReport.AddTo(host);
        SharedOptions.Add(host, shared.Severity, shared.FailOn, shared.IgnoreFile, shared.Quiet, shared.NoProgress, shared.Debug);
        host.SetAction((parse, cancellationToken) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), () => RunAsync(parse, shared, hostReport, io, ["host"], kind, hostRoot, kernelCveData, secretConfig, dockerfileConfig, buildContext, failOnEvidence, ImageOpenOptions.Default, PodSecurityScanOptions.Default, cancellationToken)));
        return (command, host);
    }

    private static async Task<int> RunAsync(ParseResult parse, SharedOptions shared, ReportOptions<ScanDocument> reportOptions, CliIo io, string[] texts, Option<string?> kindOption, Option<string?> hostRootOption, Option<string?> kernelCveDataOption, Option<string?> secretConfigOption, Option<string?> dockerfileConfigOption, Option<string?> contextOption, Option<string?> failOnEvidenceOption, ImageOpenOptions imageOpenOptions, PodSecurityScanOptions podSecurity, CancellationToken cancellationToken, string? signaturePolicy = null)
    {
        if (!Kubernetes.PodSecurity.PodSecurityPolicy.TryParse(podSecurity.Level, podSecurity.Version, out _, out var podSecurityError))
        {
            throw StrataException.Usage($"--pss-level/--pss-version: {podSecurityError}");
        }

        EvidenceKind? minimumEvidence = null;
        if (parse.GetValue(failOnEvidenceOption) is { } evidenceText)
        {
            minimumEvidence = EvidenceKindNames.TryParse(evidenceText, out var evidenceKind)
                ? evidenceKind
                : throw StrataException.Usage($"--fail-on-evidence '{Redaction.Quote(evidenceText)}': expected one of {EvidenceKindNames.All}.");
        }

        TargetKind? forced = null;
        if (parse.GetValue(kindOption) is { } kindText)
        {
            forced = TargetKindNames.TryParse(kindText, out var k) ? k : throw StrataException.Usage($"--kind '{Redaction.Quote(kindText)}': expected one of {string.Join(", ", TargetKindNames.All)}.");
        }

        var limits = imageOpenOptions.Limits;
        RejectUnknownOptions(parse, texts);
        var resolved = texts.Length == 0 ? DefaultTargets() : TargetResolver.ResolveEach(texts, forced, limits);
        if (parse.GetValue(contextOption) is { } contextDirectory)
        {
            resolved = WithBuildContext(resolved, contextDirectory);
        }

        var run = new ScanRun
        {
            HostRoot = parse.GetValue(hostRootOption),
            KernelCveData = parse.GetValue(kernelCveDataOption),
            SecretConfig = parse.GetValue(secretConfigOption),
            DockerfileConfig = parse.GetValue(dockerfileConfigOption),
            MinimumEvidence = minimumEvidence,
            ImageOpenOptions = imageOpenOptions,
            PodSecurity = podSecurity,
            SignaturePolicy = signaturePolicy,
        };
        return await ScanAndReportAsync(parse, shared, reportOptions, io, resolved, run, cancellationToken);
    }

    /// <summary>
    /// Scans resolved targets and writes the report: severities, ignores, secret and Dockerfile configuration,
    /// --fail-on, exit codes. <c>strata scan</c> and <c>strata k8s scan</c> both end here.
    /// </summary>
    internal static async Task<int> ScanAndReportAsync(ParseResult parse, SharedOptions shared, ReportOptions<ScanDocument> reportOptions, CliIo io, IReadOnlyList<ScanTarget> resolved, ScanRun run, CancellationToken cancellationToken)
    {
        var severities = ParseSeverities(parse.GetValue(shared.Severity));
        var failOn = parse.GetValue(shared.FailOn) is { } failOnText
            ? SeverityNames.TryParse(failOnText, out var parsed) ? parsed : throw StrataException.Usage($"--fail-on '{Redaction.Quote(failOnText)}': expected CRITICAL, HIGH, MEDIUM, LOW or INFO.")
            : (Severity?)null;
        var minimumEvidence = run.MinimumEvidence;
        if (minimumEvidence is not null)
        {
            failOn ??= Severity.Low;
        }

        var imageOpenOptions = run.ImageOpenOptions;
        var limits = imageOpenOptions.Limits;
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

        var (secrets, secretConfigPath) = SecretsOfRun(io, run.SecretConfig);
        var dockerfileConfig = DockerfileConfigOfRun(io, run.DockerfileConfig);

        using var loggers = StrataCli.CreateLoggerFactory(io, parse.GetValue(shared.Quiet), parse.GetValue(shared.Debug));
        var logger = loggers.CreateLogger("strata");
        var showProgress = !io.ErrorIsRedirected && !parse.GetValue(shared.NoProgress) && !parse.GetValue(shared.Quiet);
        var context = new ScanContext
        {
            Logger = logger,
            HostRoot = run.HostRoot is { } root ? Path.GetFullPath(root, io.WorkingDirectory) : io.HostRoot,
            Progress = showProgress ? new TerminalProgress(io.Error) : null,
            Limits = limits,
            PodSecurity = run.PodSecurity,
        };

        var kernelCves = run.KernelCveData is { } cveData ? KernelCveTable.LoadDataset(Path.GetFullPath(cveData, io.WorkingDirectory), limits) : null;
        var registry = ScannerRegistry.CreateDefault(imageOpenOptions, secrets, dockerfileConfig, kernelCves);
        if (run.SignaturePolicy is { } policyFile)
        {
            // --policy adds the SIG- checks of image signatures to the run.
            var policyPath = Path.GetFullPath(policyFile, io.WorkingDirectory);
            var policy = await Signing.Policy.ContainersPolicy.LoadAsync(policyPath, cancellationToken);
            var sources = Signing.Policy.PolicySignatureSources.From(Signing.Lookaside.RegistriesConfiguration.Load());
            registry = new ScannerRegistry(registry.Scanners.Append(new Signing.Rules.ImageSignatureScanner(policy, policyPath, sources, imageOpenOptions)));
        }

        var engine = new ScanEngine(registry);
        var report = await engine.ScanAsync(
            resolved,
            new ScanOptions
            {
                Severities = severities,
                IgnoreEntries = ignores,
                IgnoreSource = ignorePath ?? IgnoreFile.DefaultName,
                Today = io.Today ?? DateOnly.FromDateTime(DateTime.UtcNow),
                AppliedConfiguration = [.. new[] { ignorePath, secretConfigPath, dockerfileConfig.Source }.OfType<string>().Select(p => Path.GetFullPath(p, io.WorkingDirectory))],
            },
            context,
            cancellationToken);
        if (run.Adjust is { } adjust)
        {
            report = adjust(report);
        }

        foreach (var warning in report.Warnings)
        {
            if (!parse.GetValue(shared.Quiet))
            {
                await io.Error.WriteLineAsync($"warning: {StrataCli.Safe(warning)}");
            }
        }

        await reportOptions.WriteAsync(parse, io, new ScanDocument(report, new Lazy<RuleCatalog>(() => registry.Catalog)), cancellationToken);

        // Each failed target once, naming it once; the report holds the same errors beside the other targets' results.
        if (report.Targets.Any(t => t.Error is not null))
        {
            foreach (var failed in report.Targets.Where(t => t.Error is not null))
            {
                await io.Error.WriteLineAsync($"strata: {StrataCli.Safe(failed.ErrorLine!)}");
            }

            return (int)ExitCode.Error;
        }

        return failOn is Severity threshold && report.Findings.Any(f => f.Severity >= threshold && StrongEnough(f, minimumEvidence)) ? (int)ExitCode.Findings : (int)ExitCode.Clean;
    }

    /// <summary>A finding with no evidence kind (not a secret) always counts; a secret finding counts when its evidence reaches the minimum.</summary>
    private static bool StrongEnough(Finding finding, EvidenceKind? minimum) =>
        minimum is not EvidenceKind floor || finding.Evidence?.Kind is not EvidenceKind kind || kind >= floor;

    /// <summary>
    /// The run's secret scanner, from <c>--secret-config</c> or the working directory's <c>strata-secrets.yaml</c> (the
    /// built-in rules without either). The configuration is read and checked here, so a bad file stops the scan before
    /// any target is read; the scanner itself is built only if a target needs it.
    /// </summary>
    private static (SecretScannerProvider Secrets, string? ConfigPath) SecretsOfRun(CliIo io, string? given)
    {
        var path = given is not null
            ? Path.GetFullPath(given, io.WorkingDirectory)
            : Path.Combine(io.WorkingDirectory, SecretScannerConfig.DefaultName);
        if (given is null && !File.Exists(path))
        {
            return (new SecretScannerProvider(), null);
        }

        var secrets = new SecretScannerProvider(SecretScannerConfig.Load(path));
        secrets.Validate();
        return (secrets, path);
    }

    /// <summary>Gives every Dockerfile target (a file, not a directory of them) <paramref name="directory"/> as its build context.</summary>
    private static IReadOnlyList<ScanTarget> WithBuildContext(IReadOnlyList<ScanTarget> targets, string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw StrataException.Usage($"--context {Redaction.Quote(directory, 200)}: no such directory.");
        }

        if (!targets.Any(IsDockerfile))
        {
            throw StrataException.Usage("--context is the build context of a Dockerfile target, and no Dockerfile was named (a Dockerfile found in a scanned directory has its own directory as context).");
        }

        return [.. targets.Select(t => IsDockerfile(t) ? t with { BuildContext = new BuildContextSource(directory, directory) } : t)];

        static bool IsDockerfile(ScanTarget target) => target.Kind == TargetKind.Dockerfile && target.Error is null && !SourceTree.IsTree(target);
    }

    /// <summary>
    /// The Dockerfile lint configuration, from <c>--dockerfile-config</c> or the working directory's <c>.hadolint.yaml</c>
    /// (<c>.hadolint.yml</c>); read and checked before any target, so a bad file stops the scan with exit code 2.
    /// </summary>
    private static DockerfileLintConfig DockerfileConfigOfRun(CliIo io, string? given)
    {
        var path = given is not null ? Path.GetFullPath(given, io.WorkingDirectory) : DockerfileLintConfig.FindDefault(io.WorkingDirectory);
        return path is null ? DockerfileLintConfig.Empty : DockerfileLintConfig.Load(path);
    }

    /// <summary>
    /// A target that starts with '-' is a mistyped option (<c>--formt json</c>), not a file: a usage error naming the
    /// nearest option, before anything is scanned. A file whose name starts with '-' can be given as <c>./-name</c>.
    /// </summary>
    private static void RejectUnknownOptions(ParseResult parse, string[] texts)
    {
        foreach (var text in texts)
        {
            if (text.Length > 1 && text.StartsWith('-'))
            {
                var options = parse.CommandResult.Command.Options.Concat(parse.RootCommandResult.Command.Options).Where(o => !o.Hidden);
                var names = options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct();
                var option = text.Split('=')[0];
                throw StrataException.Usage(NearestName.Find(option, names) is { } near
                    ? $"{Redaction.Quote(option)}: unknown option; did you mean {near}?"
                    : $"{Redaction.Quote(option)}: unknown option (a file whose name starts with '-' is given as ./{Redaction.Quote(text)}).");
            }
        }
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
            result.Add(SeverityNames.TryParse(value, out var severity) ? severity : throw StrataException.Usage($"--severity '{Redaction.Quote(value)}': expected CRITICAL, HIGH, MEDIUM, LOW or INFO."));
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

            targets.Add(TargetResolver.FileTarget(file, "examples/" + Path.GetRelativePath(examples, file).Replace('\\', '/')));
        }

        return targets;
    }
}

/// <summary>What a scan run reads besides its targets and the shared options (<see cref="ScanCommand.ScanAndReportAsync"/>).</summary>
internal sealed record ScanRun
{
    /// <summary>--root: the host audited under this directory.</summary>
    public string? HostRoot { get; init; }

    public string? KernelCveData { get; init; }

    public string? SecretConfig { get; init; }

    public string? DockerfileConfig { get; init; }

    /// <summary>--fail-on-evidence; implies --fail-on LOW when --fail-on is not given.</summary>
    public EvidenceKind? MinimumEvidence { get; init; }

    public ImageOpenOptions ImageOpenOptions { get; init; } = ImageOpenOptions.Default;

    /// <summary>The Pod Security Standards level and version manifests are checked at (namespace labels override them).</summary>
    public PodSecurityScanOptions PodSecurity { get; init; } = PodSecurityScanOptions.Default;

    /// <summary>--policy: the containers-policy.json image signatures are checked against (SIG- rules); none when null.</summary>
    public string? SignaturePolicy { get; init; }

    /// <summary>Applied to the report before it is written, e.g. to name a temporary file as what it stands for.</summary>
    public Func<ScanReport, ScanReport>? Adjust { get; init; }
}
