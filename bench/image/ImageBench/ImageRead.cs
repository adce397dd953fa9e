namespace Strata.Bench.Image;

using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Strata.Core;
using Strata.Oci;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;

/// <summary>
/// What <c>strata image inspect</c> does (resolve, then one verified pass over every layer building the layered
/// filesystem), and in content mode what a scanner adds in the same pass: every regular file's bytes read.
/// </summary>
internal static class ImageRead
{
    public static async Task RunAsync(string reference, string mode, TextWriter output, CancellationToken cancellationToken)
    {
        if (mode is not ("read" or "metadata" or "content"))
        {
            throw StrataException.Usage($"mode '{mode}': expected read, metadata or content.");
        }

        var clock = Stopwatch.StartNew();
        var image = await ImageResolver.OpenAsync(reference, ImageOpenOptions.Default, cancellationToken);
        await using var source = image.Source;
        var builder = new LayeredFileSystem.Builder();
        var reader = new ContentReader();
        var counter = new EntryCounter();
        IImageEntryVisitor[] visitors = mode switch
        {
            "read" => [counter],
            "metadata" => [builder],
            _ => [builder, reader],
        };
        await ImageWalker.WalkAsync(image, visitors, cancellationToken);
        var fileSystem = mode == "read" ? null : builder.Build(image.Layers);
        long entries = counter.Entries;
        if (fileSystem is not null)
        {
            foreach (var layer in ImageInspector.Summarize(image, fileSystem).Layers)
            {
                entries += layer.Entries;
            }
        }

        clock.Stop();

        var gc = GC.GetGCMemoryInfo();
        GC.KeepAlive(fileSystem);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"mode={mode} layers={image.Layers.Count} entries={entries} paths={fileSystem?.PathCount ?? 0} files_read={reader.Files} content_bytes={reader.Bytes} wasted_bytes={fileSystem?.WastedBytes ?? 0} seconds={clock.Elapsed.TotalSeconds:0.000} gc_heap_mib={GC.GetTotalMemory(false) >> 20} gc_committed_mib={gc.TotalCommittedBytes >> 20} gc_pause_s={GC.GetTotalPauseDuration().TotalSeconds:0.00} gc_counts={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} path_state_mib={(fileSystem?.StateBytes ?? 0) / 1048576.0:0.0} live_after_gc_mib={GC.GetTotalMemory(true) / 1048576.0:0.0}"));
    }

    /// <summary>Only counts entries: the cost of reading and verifying the layers alone.</summary>
    private sealed class EntryCounter : IImageEntryVisitor
    {
        private long entries;

        public long Entries => Interlocked.Read(ref entries);

        public ILayerEntryVisitor BeginLayer(ImageLayer layer) => new LayerCounter(this);

        private sealed class LayerCounter(EntryCounter owner) : ILayerEntryVisitor
        {
            private long entries;

            public bool WantsContent(LayerEntry entry) => false;

            public ValueTask VisitAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken)
            {
                entries++;
                return ValueTask.CompletedTask;
            }

            public ValueTask EndLayerAsync(CancellationToken cancellationToken)
            {
                Interlocked.Add(ref owner.entries, entries);
                return ValueTask.CompletedTask;
            }
        }
    }

    /// <summary>Reads every regular file's content to the end, as a secret or package scanner would.</summary>
    private sealed class ContentReader : IImageEntryVisitor
    {
        private long files;
        private long bytes;

        public long Files => Interlocked.Read(ref files);

        public long Bytes => Interlocked.Read(ref bytes);

        public ILayerEntryVisitor BeginLayer(ImageLayer layer) => new LayerContentReader(this);

        private sealed class LayerContentReader(ContentReader owner) : ILayerEntryVisitor
        {
            private readonly byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            private long files;
            private long bytes;
            private ulong checksum;

            public bool WantsContent(LayerEntry entry) => true;

            public async ValueTask VisitAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken)
            {
                if (content is null)
                {
                    return;
                }

                files++;
                int n;
                while ((n = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    bytes += n;

                    // Touch the bytes so the read cannot be optimised into a skip.
                    checksum += buffer[n - 1];
                }
            }

            public ValueTask EndLayerAsync(CancellationToken cancellationToken)
            {
                Interlocked.Add(ref owner.files, files);
                Interlocked.Add(ref owner.bytes, bytes + (long)(checksum & 0));
                ArrayPool<byte>.Shared.Return(buffer);
                return ValueTask.CompletedTask;
            }
        }
    }
}
