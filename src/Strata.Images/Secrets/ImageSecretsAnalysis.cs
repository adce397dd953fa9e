namespace Strata.Images.Secrets;

using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Strata.Core.Findings;
using Strata.Images.Hardening;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;
using Strata.Secrets;

/// <summary>
/// The secret scan of one image or root filesystem. Every layer's files are scanned as they stream by; which of them
/// later layers deleted or overwrote is learnt from the merged view at the end. An unchanged file copied again by a
/// later layer is reported once per layer: each copy can be extracted on its own.
/// </summary>
/// <param name="reportNamedVariables">False when the configuration disables <see cref="SecretNamedVariable"/>'s rule.</param>
internal sealed partial class ImageSecretsAnalysis(SecretScanner scanner, bool reportNamedVariables, ImageSubject subject) : IImageAnalysis
{
    private const int MaxCreatedByInMessage = 120;

    private readonly List<SecretMatch>?[] perLayer = new List<SecretMatch>?[subject.Image?.Layers.Count ?? 0];
    private readonly List<SecretMatch> rootFs = [];

    /// <summary>Files being scanned at once, across all layers: one per core (a token per free core; nothing to dispose).</summary>
    private readonly Channel<bool> scanSlots = FreeSlots(Environment.ProcessorCount);
    private long filesScanned;
    private long bytesScanned;
    private long filesTruncated;
    private long regexTimeouts;

    private SecretScanner Scanner { get; } = scanner;

    public ILayerEntryVisitor BeginLayer(ImageLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var matches = new List<SecretMatch>();
        perLayer[layer.Index] = matches;
        return new FileVisitor(this, matches);
    }

    public ILayerEntryVisitor BeginRootFs() => new FileVisitor(this, rootFs);

    public Task<IReadOnlyList<Finding>> CompleteAsync(ImageView view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        var findings = new List<Finding>();
        if (subject.Image is null)
        {
            findings.AddRange(rootFs.OrderBy(m => m.Path, StringComparer.Ordinal).ThenBy(m => m.Line).ThenBy(m => m.Column).ThenBy(m => m.Rule.Id, StringComparer.Ordinal).Select(m => m.ToFinding(subject.Target)));
        }
        else
        {
            AddLayerFindings(view, findings);
            AddConfigFindings(view, findings, cancellationToken);
        }

        if (subject.Context.Logger.IsEnabled(LogLevel.Debug))
        {
            LogScanned(subject.Context.Logger, subject.Target, filesScanned, bytesScanned, filesTruncated, regexTimeouts, findings.Count);
        }
        return Task.FromResult<IReadOnlyList<Finding>>(findings);
    }

    private void AddLayerFindings(ImageView view, List<Finding> findings)
    {
        var hidden = new Dictionary<(string Key, int Layer), WastedFile>();
        foreach (var wasted in view.Wasted)
        {
            hidden.TryAdd((wasted.Key, wasted.LayerIndex), wasted);
        }

        for (var i = 0; i < perLayer.Length; i++)
        {
            var layer = view.Layers[i];
            var createdBy = SafeCreatedBy(view, i);
            foreach (var match in (perLayer[i] ?? []).OrderBy(m => m.Path, StringComparer.Ordinal).ThenBy(m => m.Line).ThenBy(m => m.Column).ThenBy(m => m.Rule.Id, StringComparer.Ordinal))
            {
                var location = new Location { LayerDigest = layer.Descriptor.Digest.ToString(), LayerIndex = i, CreatedBy = createdBy };
                var where = string.Create(CultureInfo.InvariantCulture, $"{match.Rule.Title} in {match.Path}:{match.Line}:{match.Column} ({match.Evidence.Text}; added in layer {i}{By(createdBy)}");
                var message = hidden.TryGetValue((ImageView.KeyOf(match.Path), i), out var later)
                    ? later.Deleted
                        ? string.Create(CultureInfo.InvariantCulture, $"{where}; deleted in layer {later.HiddenInLayer}{By(SafeCreatedBy(view, later.HiddenInLayer))}): still extractable from the image.")
                        : string.Create(CultureInfo.InvariantCulture, $"{where}; overwritten in layer {later.HiddenInLayer}{By(SafeCreatedBy(view, later.HiddenInLayer))}): the old content is still extractable from layer {i}.")
                    : where + ").";
                findings.Add(match.ToFinding(subject.Target, StackLayer.Image, location) with { Message = match.Annotate(message) });
            }
        }
    }

    private void AddConfigFindings(ImageView view, List<Finding> findings, CancellationToken cancellationToken)
    {
        var layerOfHistory = LayerOfHistory(view);
        foreach (var text in subject.ConfigTexts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var matches = Scanner.ScanText(text.Text, text.JsonPath);
            var historyLayer = HistoryIndex(text.JsonPath) is int h && layerOfHistory.TryGetValue(h, out var l) ? l : (int?)null;
            var location = new Location
            {
                File = "image config",
                JsonPath = text.JsonPath,
                LayerIndex = historyLayer,
                LayerDigest = historyLayer is int li ? view.Layers[li].Descriptor.Digest.ToString() : null,
                CreatedBy = historyLayer is int lc ? SafeCreatedBy(view, lc) : null,
            };
            var assignments = reportNamedVariables ? SecretNamedVariable.Find(text.JsonPath, text.Text).ToList() : [];
            var shownBy = text.JsonPath.EndsWith(".created_by", StringComparison.Ordinal) || text.JsonPath.EndsWith(".comment", StringComparison.Ordinal)
                ? "`docker history` shows it to anyone who can pull the image"
                : "`docker inspect` shows it to anyone who can pull the image";
            var inLayer = historyLayer is int layerIndex ? string.Create(CultureInfo.InvariantCulture, $" (layer {layerIndex})") : string.Empty;
            foreach (var match in matches)
            {
                var argument = assignments.FirstOrDefault(a => a.IsBuildArgument && Covers(a, match.Column));
                var what = argument.Name is null ? string.Empty : $" (build argument {argument.Name})";
                var message = string.Create(CultureInfo.InvariantCulture, $"{match.Rule.Title}{what} in the image config at {text.JsonPath}{inLayer} ({match.Evidence.Text}): {shownBy}.");
                findings.Add(match.ToFinding(subject.Target, StackLayer.Image, location) with { Location = location with { Column = match.Column }, Message = match.Annotate(message) });
            }

            foreach (var assignment in assignments.Where(a => !matches.Any(m => Covers(a, m.Column)) && !Scanner.IsValueAllowed(a.Value)))
            {
                var kind = assignment.IsBuildArgument ? "build argument" : "environment variable";
                var evidence = Evidence.Secret(assignment.Value, EvidenceKind.KeywordEntropy);
                var message = string.Create(CultureInfo.InvariantCulture, $"The {kind} {assignment.Name} has a secret-looking name and a value ({evidence.Text}) in the image config at {text.JsonPath}{inLayer}: {shownBy}.");
                findings.Add(Finding.For(SecretNamedVariable.Rule, subject.Target, location with { Column = assignment.ValueStart + 1 }, message, evidence));
            }
        }
    }

    /// <summary>A match's one-based column falls within the assignment's value (texts are ASCII in practice; columns count bytes).</summary>
    private static bool Covers(SecretNamedVariable.Assignment assignment, int column) =>
        column - 1 >= assignment.ValueStart && column - 1 < assignment.ValueStart + Math.Max(1, assignment.Value.Length);

    private static int? HistoryIndex(string jsonPath)
    {
        const string Prefix = "$.history[";
        if (!jsonPath.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = jsonPath.IndexOf(']', Prefix.Length);
        return end > 0 && int.TryParse(jsonPath.AsSpan(Prefix.Length, end - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    /// <summary>History entries that made a layer, by history index (only when the history accounts for every layer).</summary>
    private static Dictionary<int, int> LayerOfHistory(ImageView view)
    {
        var map = new Dictionary<int, int>();
        var history = view.Config?.History ?? [];
        var layer = 0;
        for (var i = 0; i < history.Count; i++)
        {
            if (!history[i].EmptyLayer)
            {
                map[i] = layer++;
            }
        }

        return layer == view.Layers.Count ? map : [];
    }

    private static string By(string? createdBy) =>
        createdBy is null ? string.Empty
        : createdBy.Length > MaxCreatedByInMessage ? $" by `{createdBy[..MaxCreatedByInMessage]}…`"
        : $" by `{createdBy}`";

    /// <summary>A layer's build step as findings may show it (masked, or withheld; see <see cref="ImageView.BuildSteps"/>).</summary>
    private static string? SafeCreatedBy(ImageView view, int layerIndex) => layerIndex < view.BuildSteps.Count ? view.BuildSteps[layerIndex] : null;

    private static Channel<bool> FreeSlots(int count)
    {
        var slots = Channel.CreateBounded<bool>(count);
        for (var i = 0; i < count; i++)
        {
            slots.Writer.TryWrite(true);
        }

        return slots;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Target}: secrets: {Files} files scanned ({Bytes} bytes, {Truncated} truncated, {Timeouts} regex windows abandoned), {Findings} findings")]
    private static partial void LogScanned(ILogger logger, string target, long files, long bytes, long truncated, long timeouts, int findings);

    /// <summary>
    /// Scans each regular file of one layer (or of the root filesystem) as it streams by. The walk only reads: the keyword
    /// and regex work of each file runs on the thread pool, one file per core at a time (the walk waits for a free core
    /// before it reads the next file, so memory stays at one chunk per core), and the layer ends when all have finished.
    /// </summary>
    private sealed class FileVisitor(ImageSecretsAnalysis analysis, List<SecretMatch> matches) : ILayerEntryVisitor
    {
        /// <summary>Finished scans are dropped from <see cref="running"/> past this many, so a long layer keeps a short list.</summary>
        private const int PruneAt = 64;

        private readonly List<Task> running = [];

        public bool WantsContent(LayerEntry entry) =>
            entry.Type == EntryType.File && entry.Size > 0 && !analysis.Scanner.IsPathAllowed(entry.Path);

        public async ValueTask VisitAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken)
        {
            if (content is null || entry.Type != EntryType.File)
            {
                return;
            }

            var slots = analysis.scanSlots;
            await slots.Reader.ReadAsync(cancellationToken);
            PendingSecretScan pending;
            try
            {
                pending = await analysis.Scanner.ReadAsync(content, "/" + entry.Path, null, cancellationToken);
            }
            catch
            {
                slots.Writer.TryWrite(true);
                throw;
            }

            if (pending.IsComplete)
            {
                slots.Writer.TryWrite(true);
                Record(pending.Run());
                return;
            }

            // Not cancellable once queued: the delegate must run to give back its slot and its buffer.
            var scan = Task.Run(() =>
            {
                try
                {
                    Record(pending.Run());
                }
                finally
                {
                    slots.Writer.TryWrite(true);
                }
            }, CancellationToken.None);
            lock (running)
            {
                if (running.Count >= PruneAt)
                {
                    // Failed scans stay, so EndLayerAsync reports them.
                    running.RemoveAll(t => t.IsCompletedSuccessfully);
                }

                running.Add(scan);
            }
        }

        public async ValueTask EndLayerAsync(CancellationToken cancellationToken)
        {
            Task[] all;
            lock (running)
            {
                all = [.. running];
                running.Clear();
            }

            await Task.WhenAll(all).WaitAsync(cancellationToken);
        }

        private void Record(SecretFileResult result)
        {
            if (result.Matches.Count > 0)
            {
                lock (matches)
                {
                    matches.AddRange(result.Matches);
                }
            }

            Interlocked.Increment(ref analysis.filesScanned);
            Interlocked.Add(ref analysis.bytesScanned, result.BytesScanned);
            Interlocked.Add(ref analysis.regexTimeouts, result.RegexTimeouts);
            if (result.Disposition == SecretFileDisposition.Truncated)
            {
                Interlocked.Increment(ref analysis.filesTruncated);
            }
        }
    }
}
