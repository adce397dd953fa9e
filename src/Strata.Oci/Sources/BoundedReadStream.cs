namespace Strata.Oci.Sources;

/// <summary>A read-only window of <c>length</c> bytes from <c>offset</c> in a seekable stream it owns (one tar member).</summary>
internal sealed class BoundedReadStream : ReadOnlyStream
{
    private readonly Stream inner;
    private readonly long start;
    private readonly long length;
    private long position;

    public BoundedReadStream(Stream inner, long start, long length)
    {
        this.inner = inner;
        this.start = start;
        this.length = length;
        inner.Seek(start, SeekOrigin.Begin);
    }

    public override bool CanSeek => true;

    public override long Length => length;

    public override long Position => position;

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, length - position)]);
        position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - position)], cancellationToken);
        position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };
        position = Math.Clamp(target, 0, length);
        inner.Seek(start + position, SeekOrigin.Begin);
        return position;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
