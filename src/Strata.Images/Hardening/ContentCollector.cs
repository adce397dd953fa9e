namespace Strata.Images.Hardening;

using Strata.Core.Scanning;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;

/// <summary>
/// Keeps, per layer, the content of the few small files the checks read (<see cref="ImageView.ContentPaths"/>), and
/// reports progress as layers finish. Per-layer state only: layers are read in parallel.
/// </summary>
internal sealed class ContentCollector(IProgress<ScanProgress>? progress, int layerCount) : IImageEntryVisitor
{
    private readonly Dictionary<int, Dictionary<string, byte[]>> byLayer = [];
    private int layersDone;

    public ILayerEntryVisitor BeginLayer(ImageLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        byLayer[layer.Index] = contents;
        return new LayerContent(contents, this);
    }

    /// <summary>The visitor for a root filesystem, which is read as one layer.</summary>
    public LayerContent BeginRootFs()
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        byLayer[0] = contents;
        return new LayerContent(contents, this);
    }

    /// <summary>What each layer held, by layer index (after the walk).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, byte[]>> ContentByLayer() =>
        [.. byLayer.OrderBy(p => p.Key).Select(p => (IReadOnlyDictionary<string, byte[]>)p.Value)];

    private void LayerDone()
    {
        var done = Interlocked.Increment(ref layersDone);
        progress?.Report(new ScanProgress("reading layers", done, Math.Max(layerCount, done)));
    }

    internal sealed class LayerContent(Dictionary<string, byte[]> contents, ContentCollector owner) : ILayerEntryVisitor
    {
        public IReadOnlyDictionary<string, byte[]> Contents => contents;

        public bool WantsContent(LayerEntry entry) =>
            entry.Type == EntryType.File && entry.Size <= ImageView.MaxContentBytes && ImageView.ContentPaths.Contains(entry.Path);

        public async ValueTask VisitAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken)
        {
            if (content is null)
            {
                // A later entry for the same path without content (a link, a directory) replaces the earlier file.
                contents.Remove(entry.Path);
                return;
            }

            var bytes = new byte[entry.Size];
            var read = await content.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
            contents[entry.Path] = read == bytes.Length ? bytes : bytes[..read];
        }

        public ValueTask EndLayerAsync(CancellationToken cancellationToken)
        {
            owner.LayerDone();
            return ValueTask.CompletedTask;
        }
    }
}
