namespace Strata.Encryption.Cipher;

using System.Security.Cryptography;
using Strata.Core;

/// <summary>
/// A read-only stream that encrypts or decrypts another as it is read, with <see cref="AesCtrHmac"/>.
/// Decrypting, the HMAC over the ciphertext is compared when the source ends, before the last read returns 0: a
/// reader that reached the end has had authenticated bytes only, and one that stops early must discard what it read
/// (every writer in Strata writes to a temporary file and renames it only after the end).
/// Encrypting, <see cref="Hmac"/> holds the MAC once the source is exhausted.
/// </summary>
public sealed class CipherStream : Stream
{
    private readonly Stream source;
    private readonly AesCtrHmac cipher;
    private readonly byte[]? expectedHmac;
    private readonly string what;
    private readonly bool leaveOpen;
    private byte[]? hmac;
    private long position;

    private CipherStream(Stream source, AesCtrHmac cipher, byte[]? expectedHmac, string what, bool leaveOpen)
    {
        this.source = source;
        this.cipher = cipher;
        this.expectedHmac = expectedHmac;
        this.what = what;
        this.leaveOpen = leaveOpen;
    }

    /// <summary>Plaintext in, ciphertext out; read <see cref="Hmac"/> at the end.</summary>
    public static CipherStream Encrypt(Stream plaintext, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, bool leaveOpen = false) =>
        new(plaintext, AesCtrHmac.ForEncryption(key, nonce), null, "layer", leaveOpen);

    /// <summary>Ciphertext in, plaintext out; the end of the stream is reached only when the HMAC matches.</summary>
    /// <param name="what">Names the blob in the error (e.g. its digest).</param>
    public static CipherStream Decrypt(Stream ciphertext, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> expectedHmac, string what, bool leaveOpen = false)
    {
        if (expectedHmac.Length != AesCtrHmac.HmacSize)
        {
            throw StrataException.BadInput($"{what}: the public options' hmac is {expectedHmac.Length} bytes, not {AesCtrHmac.HmacSize}");
        }

        return new(ciphertext, AesCtrHmac.ForDecryption(key, nonce), expectedHmac.ToArray(), what, leaveOpen);
    }

    /// <summary>The HMAC-SHA256 of the ciphertext, once the source has been read to its end.</summary>
    public byte[] Hmac => hmac ?? throw new InvalidOperationException("the layer has not been read to its end yet");

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (hmac is not null || buffer.IsEmpty)
        {
            return 0;
        }

        var n = source.Read(buffer);
        return Consume(buffer[..n]);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        hmac is not null || buffer.IsEmpty ? ValueTask.FromResult(0) : ReadCoreAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            cipher.Dispose();
            if (!leaveOpen)
            {
                source.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Consume(buffer.Span[..n]);
    }

    private int Consume(Span<byte> data)
    {
        if (data.IsEmpty)
        {
            hmac = cipher.FinishHmac();
            if (expectedHmac is not null && !CryptographicOperations.FixedTimeEquals(hmac, expectedHmac))
            {
                throw StrataException.BadInput($"{what}: HMAC check failed: the ciphertext was changed, or the key or public options do not belong to it");
            }

            return 0;
        }

        cipher.Transform(data);
        position += data.Length;
        return data.Length;
    }
}
