namespace Strata.Images;

using Strata.Core;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Hardening;
using Strata.Images.Hardening.Checks;
using Strata.Oci;
using Strata.Oci.FileSystem;
using Strata.Oci.Model;
using Strata.Oci.Resolution;
using Strata.Secrets;

/// <summary>What the image scanner can be configured with.</summary>
public sealed record ImageScannerOptions
{
    /// <summary>The clock end-of-life dates are compared with.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Bytes hidden by later layers below which IMG-018 stays quiet.</summary>
    public long WastedBytesThreshold { get; init; } = WastedBytes.DefaultThreshold;

    /// <summary>More analyzers run in the same pass (e.g. <see cref="Secrets.ImageSecretsAnalyzer"/>).</summary>
    public IReadOnlyList<IImageAnalyzer> Analyzers { get; init; } = [];

    /// <summary>How images are opened: platform, credentials and TLS (from the command line), read limits.</summary>
    public ImageOpenOptions OpenOptions { get; init; } = ImageOpenOptions.Default;

    /// <summary>Most entries read from a root filesystem directory.</summary>
    public int MaxRootFsEntries { get; init; } = Limits.Default.MaxEntriesPerLayer;
}

/// <summary>
/// Scans images (any transport) and root filesystem directories: reads every layer once, builds the merged view, and
/// runs the hardening checks (IMG-…) and any extra analyzers over it.
/// </summary>
public sealed partial class ImageScanner : ITargetScanner
{
    /// <summary>Paths a root filesystem scan skipped that are listed one warning each; the rest are counted in one more.</summary>
    private const int MaxListedSkips = 100;

    private readonly ImageScannerOptions options;
    private readonly SecretScannerProvider secrets;

    /// <param name="secrets">
    /// The run's secret scanner: every finding shows the build step of its layer, checked with it (a step that still
    /// holds a secret after masking is withheld). The secret findings themselves come from an analyzer in
    /// <paramref name="options"/>.
    /// </param>
    public ImageScanner(SecretScannerProvider secrets, ImageScannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        this.secrets = secrets;
        this.options = options ??= new ImageScannerOptions();
        Checks =
        [
            new ImageOs(),
            new OsEndOfLife(options.Time, EndOfLifeTable.Default),
            new PackageCount(),
            new ShellPresent(),
            new PackageManagerPresent(),
            new BuildToolsPresent(),
            new NetworkDebugToolsPresent(),
            new PrivilegeToolsPresent(),
            new SetuidSetgidFiles(),
            new WorldWritablePaths(),
            new ConfigUserIsRoot(),
            new ConfigWithoutHealthcheck(),
            new RiskyPortInConfig(),
            new VolumeOverKernelFs(),
            new EmptyPasswords(),
            new DuplicateIds(),
            new LeftoverCaches(),
            new WastedBytes(options.WastedBytesThreshold),
        ];
    }

    public string Name => "image";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.Image, TargetKind.RootFs };

    public IEnumerable<Rule> Rules => Checks.Select(c => c.Rule).Concat(options.Analyzers.SelectMany(a => a.Rules));

    /// <summary>Every hardening check, in rule order.</summary>
    public IReadOnlyList<Check<ImageView>> Checks { get; }

    public async Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var (view, analyses) = target.Kind == TargetKind.RootFs
            ? await ReadRootFsAsync(target, context, cancellationToken)
            : await ReadImageAsync(target, context, cancellationToken);

        var findings = new List<Finding>(Evaluate(view, context.Logger, cancellationToken, context.Limits.MaxFindingsPerRule));
        foreach (var analysis in analyses)
        {
            findings.AddRange(await analysis.CompleteAsync(view, cancellationToken));
        }

        return findings;
    }

    /// <summary>
    /// Runs the hardening checks over a view (the analyzers' findings come from their analyses), listing at most
    /// <paramref name="maxFindingsPerRule"/> findings of a rule (default <see cref="Core.Limits.MaxFindingsPerRule"/>).
    /// </summary>
    public IReadOnlyList<Finding> Evaluate(ImageView view, ILogger logger, CancellationToken cancellationToken, int? maxFindingsPerRule = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var context = new CheckContext(view.Target);
        return CheckRunner.Run(Checks, view, maxFindingsPerRule is int max ? context with { MaxFindingsPerRule = max } : context, logger, cancellationToken);
    }

    /// <summary>Reads the image once: the layered filesystem, the checks' file content and every analyzer share one walk.</summary>
    public async Task<(ImageView View, IReadOnlyList<IImageAnalysis> Analyses)> ReadImageAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var image = await ImageResolver.OpenAsync(target.Locator, options.OpenOptions, cancellationToken);
        await using (image.Source)
        {
            if (image.Layers.Where(l => !l.Readable).Select(l => l.Index).ToList() is { Count: > 0 } encrypted)
            {
                LogEncryptedLayers(context.Logger, target.Name, string.Join(", ", encrypted), image.Layers.Count);
            }

            var subject = new ImageSubject(target.Name, target.Kind, image, ConfigTexts(image.Config), null) { Context = context };
            var analyses = options.Analyzers.Select(a => a.Begin(subject)).ToList();
            var fileSystem = new LayeredFileSystem.Builder();
            var content = new ContentCollector(context.Progress, image.Layers.Count);
            await ImageWalker.WalkAsync(image, [fileSystem, content, .. analyses], cancellationToken);
            var view = ImageView.FromImage(target.Name, image, fileSystem.Build(image.Layers), content.ContentByLayer(), secrets.Scanner);
            LogImageRead(context.Logger, target.Name, image.Layers.Count, view.Files.Count);
            return (view, analyses);
        }
    }

    /// <summary>Reads a root filesystem directory as one layer, with the same visitors.</summary>
    public async Task<(ImageView View, IReadOnlyList<IImageAnalysis> Analyses)> ReadRootFsAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var root = target.Locator;
        var subject = new ImageSubject(target.Name, target.Kind, null, [], root) { Context = context };
        var analyses = options.Analyzers.Select(a => a.Begin(subject)).ToList();
        var collector = new ContentCollector(context.Progress, 1);
        var content = collector.BeginRootFs();
        var walk = await RootFsWalker.WalkAsync(root, [content, .. analyses.Select(a => a.BeginRootFs())], options.MaxRootFsEntries, cancellationToken);
        WarnSkipped(context, target.Name, walk.Skipped);
        var view = ImageView.FromRootFs(target.Name, root, walk.Entries, content.Contents, walk.Skipped);
        LogRootFsRead(context.Logger, target.Name, view.Files.Count);
        return (view, analyses);
    }

    /// <summary>
    /// A warning per path of the root filesystem that was not scanned (the first <see cref="MaxListedSkips"/>, then
    /// one that counts the rest), so the report never passes over a gap in silence.
    /// </summary>
    private static void WarnSkipped(ScanContext context, string target, IReadOnlyList<RootFsSkip> skipped)
    {
        foreach (var skip in skipped.Take(MaxListedSkips))
        {
            context.Warnings.Add($"{target}: /{skip.Path}: {skip.Reason}.");
        }

        if (skipped.Count > MaxListedSkips)
        {
            context.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{target}: {skipped.Count - MaxListedSkips} more paths could not be scanned (not listed; scan as a user who may read the whole tree)."));
        }
    }

    /// <summary>Every free-text string of the config and its history, for analyzers that search text (secrets).</summary>
    public static IReadOnlyList<ConfigText> ConfigTexts(ImageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var texts = new List<ConfigText>();
        for (var i = 0; i < config.Env.Count; i++)
        {
            texts.Add(new ConfigText(FormattableString.Invariant($"$.config.Env[{i}]"), config.Env[i]));
        }

        foreach (var (key, value) in config.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            texts.Add(new ConfigText($"$.config.Labels['{key.Replace("'", "\\'", StringComparison.Ordinal)}']", value));
        }

        AddAll(texts, "$.config.Entrypoint", config.Entrypoint);
        AddAll(texts, "$.config.Cmd", config.Cmd);
        AddAll(texts, "$.config.Healthcheck.Test", config.Healthcheck?.Test);
        if (config.Author is { Length: > 0 } author)
        {
            texts.Add(new ConfigText("$.author", author));
        }

        for (var i = 0; i < config.History.Count; i++)
        {
            var entry = config.History[i];
            if (entry.CreatedBy is { Length: > 0 } createdBy)
            {
                texts.Add(new ConfigText(FormattableString.Invariant($"$.history[{i}].created_by"), createdBy));
            }

            if (entry.Comment is { Length: > 0 } comment)
            {
                texts.Add(new ConfigText(FormattableString.Invariant($"$.history[{i}].comment"), comment));
            }
        }

        return texts;
    }

    private static void AddAll(List<ConfigText> texts, string path, IReadOnlyList<string>? values)
    {
        for (var i = 0; values is not null && i < values.Count; i++)
        {
            texts.Add(new ConfigText(FormattableString.Invariant($"{path}[{i}]"), values[i]));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Target}: image layers {Layers} of {Count} are encrypted and no --decryption-key opens them: their files were not scanned (the config and history were)")]
    private static partial void LogEncryptedLayers(ILogger logger, string target, string layers, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Target}: read {Layers} layers, {Paths} paths in the merged image")]
    private static partial void LogImageRead(ILogger logger, string target, int layers, int paths);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Target}: read {Paths} paths from the root filesystem")]
    private static partial void LogRootFsRead(ILogger logger, string target, int paths);
}
