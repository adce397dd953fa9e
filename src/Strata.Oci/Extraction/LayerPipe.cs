namespace Strata.Oci.Extraction;

using System.Buffers;
using System.Threading.Channels;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;

/// <summary>
/// Hands the layers' entries from the thread that reads them (inflate, both digests, tar) to the thread that writes
/// them, so the two work at once on two cores. Entries keep their order, layer after layer; a file's content travels
/// in pooled chunks, and the pipe holds at most <see cref="Capacity"/> of them, so memory stays bounded
/// (<see cref="Capacity"/> x <see cref="ChunkSize"/> at worst) whatever the image's size.
/// </summary>
internal sealed class LayerPipe
{
    internal const int ChunkSize = 256 * 1024;
    internal const int Capacity = 128;

    private readonly Channel<Piece> channel = Channel.CreateBounded<Piece>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Reading side: says a new layer starts; its entries follow.</summary>
    public ValueTask BeginLayerAsync(ImageLayer layer, CancellationToken cancellationToken) =>
        channel.Writer.WriteAsync(new Piece(layer, null, null, 0, Last: true), cancellationToken);

    /// <summary>Reading side: one entry, with the whole of a regular file's content copied into chunks.</summary>
    public async ValueTask PostAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            await channel.Writer.WriteAsync(new Piece(null, entry, null, 0, Last: true), cancellationToken);
            return;
        }

        var remaining = entry.Size;
        var first = true;
        do
        {
            var size = (int)Math.Min(remaining, ChunkSize);
            var chunk = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
            try
            {
                await content.ReadExactlyAsync(chunk.AsMemory(0, size), cancellationToken);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(chunk);
                throw;
            }

            remaining -= size;
            await channel.Writer.WriteAsync(new Piece(null, first ? entry : null, chunk, size, remaining == 0), cancellationToken);
            first = false;
        }
        while (remaining > 0);
    }

    /// <summary>Reading side: no more entries; with an error, the writing side stops with it.</summary>
    public void Complete(Exception? error = null) => channel.Writer.TryComplete(error);

    /// <summary>
    /// Writing side: calls <paramref name="onLayer"/> at each layer's start and <paramref name="onEntry"/> for each entry
    /// in order. A file's content is readable chunk by chunk until the callback returns; what it leaves is skipped.
    /// </summary>
    public async Task DrainAsync(Action<ImageLayer> onLayer, Func<LayerEntry, FileContent?, CancellationToken, ValueTask> onEntry, CancellationToken cancellationToken)
    {
        var reader = channel.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var piece))
            {
                if (piece.Layer is not null)
                {
                    onLayer(piece.Layer);
                    continue;
                }

                if (piece.Chunk is null)
                {
                    await onEntry(piece.Entry!, null, cancellationToken);
                    continue;
                }

                var content = new FileContent(reader, piece);
                try
                {
                    await onEntry(piece.Entry!, content, cancellationToken);
                    while (!(await content.NextAsync(cancellationToken)).IsEmpty)
                    {
                    }
                }
                finally
                {
                    content.Release();
                }
            }
        }
    }

    internal readonly record struct Piece(ImageLayer? Layer, LayerEntry? Entry, byte[]? Chunk, int Length, bool Last);

    /// <summary>One file's content as the chunks it arrived in, each valid until the next is asked for.</summary>
    internal sealed class FileContent
    {
        private readonly ChannelReader<Piece> reader;
        private Piece current;
        private bool handedOut;

        internal FileContent(ChannelReader<Piece> reader, Piece first)
        {
            this.reader = reader;
            current = first;
        }

        /// <summary>The next chunk of content; empty at the end.</summary>
        public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken)
        {
            if (handedOut)
            {
                if (current.Last)
                {
                    Release();
                    return ReadOnlyMemory<byte>.Empty;
                }

                Release();
                current = await reader.ReadAsync(cancellationToken);
            }

            if (current.Chunk is null)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            handedOut = true;
            return current.Chunk.AsMemory(0, current.Length);
        }

        internal void Release()
        {
            if (current.Chunk is { } chunk)
            {
                ArrayPool<byte>.Shared.Return(chunk);
                current = current with { Chunk = null };
            }
        }
    }
}
