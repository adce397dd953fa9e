namespace Strata.Oci.FileSystem;

/// <summary>
/// A growable array kept in fixed chunks: growing never copies what is there (a doubled 2-million-element array
/// would briefly need three times its size), and no chunk reaches the large object heap's fragmentation.
/// </summary>
internal sealed class ChunkedArray<T>
    where T : struct
{
    private const int ChunkBits = 14;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    private T[][] chunks = [];

    public int Count { get; private set; }

    public ref T this[int index] => ref chunks[index >> ChunkBits][index & ChunkMask];

    /// <summary>Appends a value and returns its index.</summary>
    public int Add(T value)
    {
        var index = Count;
        var chunk = index >> ChunkBits;
        if (chunk == chunks.Length)
        {
            Array.Resize(ref chunks, Math.Max(4, chunks.Length * 2));
        }

        chunks[chunk] ??= new T[ChunkSize];
        chunks[chunk][index & ChunkMask] = value;
        Count++;
        return index;
    }

    /// <summary>Bytes held (for the memory report of the bench).</summary>
    public long AllocatedBytes => (long)chunks.Count(c => c is not null) * ChunkSize * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
}
