namespace Strata.Oci.Layers;

/// <summary>
/// A read-only view that does not close the stream under it: lets a decompression pipeline dispose its top
/// without closing the verifying stream below, and hands each walker visitor its own view of shared content.
/// </summary>
internal sealed class NonClosingReadStream(Stream inner) : ReadOnlyStream
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
}
