namespace Strata.Signing.SimpleSigning;

using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

/// <summary>
/// OpenPGP public keys trusted for verification, read as gpg exports them: binary keyrings (pubring.gpg, concatenated
/// exports) or ASCII-armored key blocks, from one or several files. Secret keyrings are accepted too (their public parts).
/// </summary>
public sealed class OpenPgpKeyring
{
    /// <summary>Keyring files larger than this are refused: a real keyring of thousands of keys stays far below.</summary>
    public const int MaxKeyringBytes = 16 * 1024 * 1024;

    private const string ArmorStart = "-----BEGIN PGP ";

    private readonly List<PgpPublicKeyRing> rings;

    private OpenPgpKeyring(List<PgpPublicKeyRing> rings)
    {
        this.rings = rings;
    }

    /// <summary>The primary key fingerprints, upper-case hex as gpg prints them, in reading order (duplicates kept, as containers/image does).</summary>
    public IReadOnlyList<string> Fingerprints => rings.Select(r => FingerprintOf(r.GetPublicKey())).ToList();

    /// <summary>The key rings, in reading order.</summary>
    public IReadOnlyList<PgpPublicKeyRing> Rings => rings;

    /// <summary>Reads every file; each may be binary or armored and may hold several keys.</summary>
    public static OpenPgpKeyring Load(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var all = new List<PgpPublicKeyRing>();
        foreach (var path in paths)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new SignatureException($"{path}: no such keyring file");
            }

            if (info.Length > MaxKeyringBytes)
            {
                throw new SignatureException($"{path}: keyring is {info.Length} bytes, more than the {MaxKeyringBytes} allowed");
            }

            all.AddRange(ReadRings(File.ReadAllBytes(path), path));
        }

        return new OpenPgpKeyring(all);
    }

    /// <summary>Reads one or several files.</summary>
    public static OpenPgpKeyring Load(params string[] paths) => Load((IEnumerable<string>)paths);

    /// <summary>Reads keys given as bytes (a policy's keyData); <paramref name="origin"/> names them in errors.</summary>
    public static OpenPgpKeyring FromBytes(IEnumerable<byte[]> blobs, string origin = "key data")
    {
        ArgumentNullException.ThrowIfNull(blobs);
        var all = new List<PgpPublicKeyRing>();
        foreach (var blob in blobs)
        {
            if (blob.Length > MaxKeyringBytes)
            {
                throw new SignatureException($"{origin}: keyring is {blob.Length} bytes, more than the {MaxKeyringBytes} allowed");
            }

            all.AddRange(ReadRings(blob, origin));
        }

        return new OpenPgpKeyring(all);
    }

    /// <summary>Upper-case hex fingerprint of a key, as gpg and containers/image print it.</summary>
    public static string FingerprintOf(PgpPublicKey key) => Convert.ToHexString(key.GetFingerprint());

    /// <summary>The rings holding a key (primary or subkey) with this key ID, with that key.</summary>
    internal IEnumerable<(PgpPublicKeyRing Ring, PgpPublicKey Key)> FindByKeyId(long keyId)
    {
        foreach (var ring in rings)
        {
            var key = ring.GetPublicKey(keyId);
            if (key is not null)
            {
                yield return (ring, key);
            }
        }
    }

    private static List<PgpPublicKeyRing> ReadRings(byte[] data, string origin)
    {
        var result = new List<PgpPublicKeyRing>();
        if (data.Length == 0)
        {
            // gpg accepts an empty import and finds no keys; so do we.
            return result;
        }

        try
        {
            if (IsArmored(data))
            {
                foreach (var block in ArmoredBlocks(data))
                {
                    using var armored = new ArmoredInputStream(new MemoryStream(block));
                    ReadBinary(armored, result, origin);
                }
            }
            else
            {
                ReadBinary(new MemoryStream(data), result, origin);
            }
        }
        catch (Exception e) when (e is IOException or PgpException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new SignatureException($"{origin}: not an OpenPGP keyring: {e.Message}");
        }

        if (result.Count == 0)
        {
            throw new SignatureException($"{origin}: no OpenPGP public key found");
        }

        return result;
    }

    private static void ReadBinary(Stream stream, List<PgpPublicKeyRing> result, string origin)
    {
        var factory = new PgpObjectFactory(stream);
        while (true)
        {
            var item = factory.NextPgpObject();
            switch (item)
            {
                case null:
                    return;
                case PgpPublicKeyRing ring:
                    result.Add(ring);
                    break;
                case PgpSecretKeyRing secretRing:
                    result.Add(PublicPartOf(secretRing));
                    break;
                case PgpMarker:
                    break;
                default:
                    throw new SignatureException($"{origin}: expected OpenPGP keys, found a {item.GetType().Name.Replace("Pgp", "", StringComparison.Ordinal)} packet");
            }
        }
    }

    private static PgpPublicKeyRing PublicPartOf(PgpSecretKeyRing secretRing)
    {
        var buffer = new MemoryStream();
        foreach (var key in secretRing.GetPublicKeys())
        {
            key.Encode(buffer, true);
        }

        return new PgpPublicKeyRing(buffer.ToArray());
    }

    private static bool IsArmored(byte[] data) =>
        Encoding.ASCII.GetString(data, 0, Math.Min(data.Length, 4096)).Contains(ArmorStart, StringComparison.Ordinal);

    /// <summary>Several armored blocks may be concatenated in one file; the armor reader stops after the first.</summary>
    private static IEnumerable<byte[]> ArmoredBlocks(byte[] data)
    {
        var text = Encoding.ASCII.GetString(data);
        var start = text.IndexOf(ArmorStart, StringComparison.Ordinal);
        while (start >= 0)
        {
            var next = text.IndexOf(ArmorStart, start + 1, StringComparison.Ordinal);
            yield return Encoding.ASCII.GetBytes(text[start..(next < 0 ? text.Length : next)]);
            start = next;
        }
    }
}
