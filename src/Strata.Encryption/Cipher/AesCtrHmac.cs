namespace Strata.Encryption.Cipher;

using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

/// <summary>
/// ocicrypt's layer cipher <c>AES_256_CTR_HMAC_SHA256</c>: AES-256 in counter mode whose initial counter block is the
/// whole 16-byte nonce (incremented as one 128-bit big-endian number, as Go's <c>cipher.NewCTR</c> does), and an
/// HMAC-SHA256 keyed with the same key over the ciphertext. .NET has no CTR mode: the key stream is AES-ECB over a run
/// of counter blocks, many blocks per call so AES-NI stays busy.
/// </summary>
public sealed class AesCtrHmac : IDisposable
{
    /// <summary>The cipher's name in ocicrypt's public options.</summary>
    public const string CipherName = "AES_256_CTR_HMAC_SHA256";

    public const int KeySize = 32;
    public const int NonceSize = 16;
    public const int HmacSize = 32;

    private const int BlockSize = 16;
    private const int KeyStreamBlocks = 4096;

    private readonly Aes aes;
    private readonly IncrementalHash hmac;
    private readonly bool encrypt;
    private readonly byte[] counters = new byte[KeyStreamBlocks * BlockSize];
    private readonly byte[] keyStream = new byte[KeyStreamBlocks * BlockSize];
    private UInt128 counter;
    private int keyStreamOffset;
    private int keyStreamLength;
    private bool finished;

    private AesCtrHmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, bool encrypt)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"AES_256_CTR_HMAC_SHA256 needs a {KeySize}-byte key, not {key.Length} bytes", nameof(key));
        }

        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"AES_256_CTR_HMAC_SHA256 needs a {NonceSize}-byte nonce, not {nonce.Length} bytes", nameof(nonce));
        }

        aes = Aes.Create();
        aes.Key = key.ToArray();
        hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        counter = BinaryPrimitives.ReadUInt128BigEndian(nonce);
        this.encrypt = encrypt;
    }

    /// <summary>A cipher that encrypts: <see cref="Transform"/> turns plaintext into ciphertext and MACs the result.</summary>
    public static AesCtrHmac ForEncryption(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce) => new(key, nonce, encrypt: true);

    /// <summary>A cipher that decrypts: <see cref="Transform"/> MACs the ciphertext, then turns it into plaintext.</summary>
    public static AesCtrHmac ForDecryption(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce) => new(key, nonce, encrypt: false);

    /// <summary>Encrypts or decrypts <paramref name="data"/> in place, continuing the key stream where the last call stopped.</summary>
    public void Transform(Span<byte> data)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        if (!encrypt)
        {
            hmac.AppendData(data);
        }

        var done = 0;
        while (done < data.Length)
        {
            if (keyStreamOffset == keyStreamLength)
            {
                RefillKeyStream(data.Length - done);
            }

            var n = Math.Min(data.Length - done, keyStreamLength - keyStreamOffset);
            Xor(data.Slice(done, n), keyStream.AsSpan(keyStreamOffset, n));
            keyStreamOffset += n;
            done += n;
        }

        if (encrypt)
        {
            hmac.AppendData(data);
        }
    }

    /// <summary>The HMAC-SHA256 of all ciphertext seen; the cipher can be used no more.</summary>
    public byte[] FinishHmac()
    {
        ObjectDisposedException.ThrowIf(finished, this);
        finished = true;
        return hmac.GetHashAndReset();
    }

    public void Dispose()
    {
        aes.Dispose();
        hmac.Dispose();
        CryptographicOperations.ZeroMemory(keyStream);
    }

    private void RefillKeyStream(int wanted)
    {
        // Only as many blocks as the caller needs (rounded up), at most the buffer: small reads stay cheap.
        var blocks = Math.Clamp((wanted + BlockSize - 1) / BlockSize, 1, KeyStreamBlocks);
        var span = counters.AsSpan(0, blocks * BlockSize);
        for (var i = 0; i < blocks; i++)
        {
            BinaryPrimitives.WriteUInt128BigEndian(span.Slice(i * BlockSize, BlockSize), counter);
            counter++;
        }

        aes.EncryptEcb(span, keyStream.AsSpan(0, span.Length), PaddingMode.None);
        keyStreamOffset = 0;
        keyStreamLength = span.Length;
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> stream)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<byte>.Count;
            for (; i <= data.Length - width; i += width)
            {
                (new Vector<byte>(data[i..]) ^ new Vector<byte>(stream[i..])).CopyTo(data[i..]);
            }
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= stream[i];
        }
    }
}
