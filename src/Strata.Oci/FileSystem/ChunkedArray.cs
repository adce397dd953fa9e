namespace Strata.Oci.FileSystem;

using System.Runtime.InteropServices;

/// <summary>
/// A growable array kept in fixed chunks of native memory: growing never copies what is there (a doubled
/// 2-million-element array would briefly need three times its size), and the garbage collector neither scans nor
/// moves it (in the managed heap these arrays were promoted and copied twice, and the heap they left held about as
/// much again until a full collection). Freed when the array is collected; only plain structs are stored.
/// </summary>
internal sealed unsafe class ChunkedArray<T>
    where T : unmanaged
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    private nint[] chunks = [];

    ~ChunkedArray()
    {
        foreach (var chunk in chunks)
        {
            NativeMemory.Free((void*)chunk);
        }
    }

    public int Count { get; private set; }

    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            return ref ((T*)chunks[index >> ChunkBits])[index & ChunkMask];
        }
    }

    /// <summary>Appends a value and returns its index.</summary>
    public int Add(T value)
    {
        var index = Count;
        var chunk = index >> ChunkBits;
        if (chunk == chunks.Length)
        {
            Array.Resize(ref chunks, Math.Max(4, chunks.Length * 2));
        }

        if (chunks[chunk] == 0)
        {
            // Not zeroed: pages are only touched (and resident) once written.
            chunks[chunk] = (nint)NativeMemory.Alloc((nuint)ChunkSize, (nuint)sizeof(T));
        }

        ((T*)chunks[chunk])[index & ChunkMask] = value;
        Count++;
        return index;
    }

    /// <summary>Bytes held (for the memory report of the bench).</summary>
    public long AllocatedBytes => (long)chunks.Count(c => c != 0) * ChunkSize * sizeof(T);
}

/// <summary>A fixed-size array of native memory (the path table's hash slots), freed at once when replaced.</summary>
internal sealed unsafe class NativeArray<T>
    where T : unmanaged
{
    private T* items;

    public NativeArray(int length, T fill)
    {
        items = (T*)NativeMemory.Alloc((nuint)length, (nuint)sizeof(T));
        Length = length;
        new Span<T>(items, length).Fill(fill);
    }

    ~NativeArray() => NativeMemory.Free(items);

    public int Length { get; private set; }

    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Length)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            return ref items[index];
        }
    }

    /// <summary>Gives the memory back now (the array is empty afterwards; the finalizer then frees nothing).</summary>
    public void Free()
    {
        NativeMemory.Free(items);
        items = null;
        Length = 0;
    }
}
