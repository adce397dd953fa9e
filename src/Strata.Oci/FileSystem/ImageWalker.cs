namespace Strata.Oci.FileSystem;

using System.Buffers;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;

/// <summary>Something that looks at every entry of every layer (secret scanner, hardening checks, the layered filesystem).</summary>
public interface IImageEntryVisitor
{
    /// <summary>
    /// Called once per layer, in layer order, before any layer is read. The returned visitor sees that layer's entries
    /// in tar order on one thread at a time; different layers' visitors run in parallel, so keep per-layer state in
    /// them and merge it in layer order after <see cref="ImageWalker.WalkAsync"/> returns.
    /// </summary>
    ILayerEntryVisitor BeginLayer(ImageLayer layer);
}

/// <summary>Receives one layer's entries.</summary>
public interface ILayerEntryVisitor
{
    /// <summary>Whether this visitor wants the content of a regular file (asked before <see cref="VisitAsync"/>).</summary>
    bool WantsContent(LayerEntry entry);

    /// <summary>
    /// One entry. <paramref name="content"/> is non-null only for regular files this visitor wants: readable once,
    /// not seekable, valid until the call returns; it need not be read to the end.
    /// </summary>
    ValueTask VisitAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken);

    /// <summary>The layer was read to the end and verified (digest, size, diffID).</summary>
    ValueTask EndLayerAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Reads each layer once and hands every entry to all visitors. Layers are read in parallel (bounded by
/// <see cref="ImageOpenOptions.MaxParallelLayers"/>); memory stays bounded: a file's content is streamed to a
/// single interested visitor, or buffered once (up to <see cref="Core.Limits.MaxBufferedFileBytes"/>, beyond that in
/// a private temp file) when several want it.
/// </summary>
public static class ImageWalker
{
    public static async Task WalkAsync(ResolvedImage image, IReadOnlyList<IImageEntryVisitor> visitors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(visitors);
        var perLayer = new ILayerEntryVisitor[image.Layers.Count][];
        for (var i = 0; i < image.Layers.Count; i++)
        {
            perLayer[i] = new ILayerEntryVisitor[visitors.Count];
            for (var v = 0; v < visitors.Count; v++)
            {
                perLayer[i][v] = visitors[v].BeginLayer(image.Layers[i]);
            }
        }

        var budget = new UncompressedBudget(image.Options.Limits.MaxImageUncompressedBytes);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, image.Options.MaxParallelLayers), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(image.Layers, parallel, async (layer, token) =>
        {
            // An encrypted layer with no key is left unread: the visitors see it empty, config and history are still scanned.
            if (layer.Readable)
            {
                var dispatcher = new EntryDispatcher(perLayer[layer.Index], image.Options.Limits.MaxBufferedFileBytes);
                await LayerReader.ReadAsync(image.Source, layer, image.Options.Limits, budget, dispatcher.DispatchAsync, token);
            }

            foreach (var visitor in perLayer[layer.Index])
            {
                await visitor.EndLayerAsync(token);
            }
        });
    }

    private sealed class EntryDispatcher(ILayerEntryVisitor[] visitors, int maxBuffered)
    {
        private readonly bool[] wants = new bool[visitors.Length];

        public async ValueTask DispatchAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken)
        {
            var wanting = 0;
            var single = -1;
            for (var i = 0; i < visitors.Length; i++)
            {
                wants[i] = content is not null && visitors[i].WantsContent(entry);
                if (wants[i])
                {
                    wanting++;
                    single = i;
                }
            }

            if (wanting <= 1)
            {
                for (var i = 0; i < visitors.Length; i++)
                {
                    await visitors[i].VisitAsync(entry, i == single ? content : null, cancellationToken);
                }

                return;
            }

            if (entry.Size <= maxBuffered)
            {
                var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, entry.Size));
                try
                {
                    await content!.ReadExactlyAsync(buffer.AsMemory(0, (int)entry.Size), cancellationToken);
                    for (var i = 0; i < visitors.Length; i++)
                    {
                        using var view = wants[i] ? new MemoryStream(buffer, 0, (int)entry.Size, writable: false) : null;
                        await visitors[i].VisitAsync(entry, view, cancellationToken);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                return;
            }

            // Too big to hold: spill once to a private temp file that disappears when closed.
            var spillPath = Path.Combine(Path.GetTempPath(), "strata-spill-" + Guid.NewGuid().ToString("N"));
            var spillOptions = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Options = FileOptions.DeleteOnClose,
                BufferSize = 0,
            };
            if (!OperatingSystem.IsWindows())
            {
                spillOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using var spill = new FileStream(spillPath, spillOptions);
            await content!.CopyToAsync(spill, 128 * 1024, cancellationToken);
            for (var i = 0; i < visitors.Length; i++)
            {
                spill.Position = 0;
                await visitors[i].VisitAsync(entry, wants[i] ? new NonClosingReadStream(spill) : null, cancellationToken);
            }
        }
    }
}
