namespace Strata.Oci.Layers;

using Strata.Core;

/// <summary>The uncompressed bytes all layers of one image may still expand to, shared by layers read in parallel.</summary>
public sealed class UncompressedBudget(long limit)
{
    private long used;

    public long Used => Interlocked.Read(ref used);

    internal void Take(long bytes, string what)
    {
        if (Interlocked.Add(ref used, bytes) > limit)
        {
            throw Limits.Exceeded(what, $"the image expands to more than {limit} uncompressed bytes", "image-bytes");
        }
    }
}

/// <summary>
/// Counts what a decompressor yields and stops a decompression bomb: per-layer and per-image byte limits,
/// and the uncompressed/compressed ratio once past a grace amount.
/// </summary>
internal sealed class DecompressionGuard(Stream inner, Func<long> compressedRead, Limits limits, UncompressedBudget? budget, string what) : ReadOnlyStream
{
    private long produced;

    public override long Position => produced;

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Account(inner.Read(buffer));
        }
        catch (InvalidDataException error)
        {
            throw StrataException.BadInput($"{what}: corrupt compressed stream: {error.Message}", error);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        try
        {
            n = await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (InvalidDataException error)
        {
            throw StrataException.BadInput($"{what}: corrupt compressed stream: {error.Message}", error);
        }

        return Account(n);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Account(int n)
    {
        if (n <= 0)
        {
            return n;
        }

        produced += n;
        if (produced > limits.MaxLayerUncompressedBytes)
        {
            throw Limits.Exceeded(what, $"expands to more than {limits.MaxLayerUncompressedBytes} uncompressed bytes: decompression bomb?", "layer-bytes");
        }

        budget?.Take(n, what);
        if (produced > limits.CompressionRatioGraceBytes)
        {
            var ratio = (double)produced / Math.Max(1, compressedRead());
            if (ratio > limits.MaxCompressionRatio)
            {
                throw Limits.Exceeded(what, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"compression ratio above {limits.MaxCompressionRatio:0.#} after {produced} bytes: decompression bomb?"), "compression-ratio");
            }
        }

        return n;
    }
}
