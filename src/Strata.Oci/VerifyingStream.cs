namespace Strata.Oci;

using System.Security.Cryptography;
using Strata.Core;

/// <summary>
/// A read-only stream that hashes what passes through it and, at end of stream, fails unless the
/// content has exactly the expected digest and (when known) size. Reading past the expected size fails at
/// once, so an oversized blob cannot be streamed forever.
/// </summary>
public sealed class VerifyingStream : ReadOnlyStream
{
    private readonly Stream inner;
    private readonly Digest expected;
    private readonly long? expectedSize;
    private readonly string what;
    private readonly IncrementalHash hasher;
    private readonly bool leaveOpen;
    private long position;
    private bool verified;

    /// <param name="inner">The raw content.</param>
    /// <param name="expected">The digest the content must have.</param>
    /// <param name="expectedSize">The size from the descriptor, when there is one.</param>
    /// <param name="what">Names the content in error messages, e.g. "layer 2 blob sha256:…".</param>
    public VerifyingStream(Stream inner, Digest expected, long? expectedSize, string what, bool leaveOpen = false)
    {
        this.inner = inner;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
        this.leaveOpen = leaveOpen;
        hasher = expected.CreateHasher();
    }

    public override long Position => position;

    /// <summary>Bytes read so far.</summary>
    public long BytesRead => position;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        return Account(buffer[..read]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Account(buffer.Span[..read]);
    }

    /// <summary>Reads and hashes whatever is left, then verifies. Call when the consumer stops early.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (await ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }

    private int Account(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            Verify();
            return 0;
        }

        position += data.Length;
        if (expectedSize is long size && position > size)
        {
            throw StrataException.BadInput($"{what}: more than the {size} bytes its descriptor declares.");
        }

        hasher.AppendData(data);
        return data.Length;
    }

    private void Verify()
    {
        if (verified)
        {
            return;
        }

        if (expectedSize is long size && position != size)
        {
            throw StrataException.BadInput($"{what}: truncated: {position} of the {size} bytes its descriptor declares.");
        }

        var actual = Convert.ToHexStringLower(hasher.GetHashAndReset());
        if (!string.Equals(actual, expected.Hex, StringComparison.Ordinal))
        {
            throw StrataException.BadInput($"{what}: digest mismatch: expected {expected}, content hashes to {expected.Algorithm}:{actual}.");
        }

        verified = true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hasher.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
