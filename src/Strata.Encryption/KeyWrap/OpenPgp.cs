namespace Strata.Encryption.KeyWrap;

using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;
using Strata.Core;

/// <summary>
/// OpenPGP key wrapping as ocicrypt's PGP wrapper does it (ProtonMail go-crypto): one binary message per layer, a
/// public-key encrypted session key packet per recipient, AES-256 in a symmetrically encrypted integrity-protected
/// data packet (with MDC) around an uncompressed literal data packet. Reading also takes compressed messages, as
/// <c>gpg --encrypt</c> writes them, and refuses messages without integrity protection.
/// </summary>
public static class OpenPgp
{
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>The most plaintext a wrapped key may hold once decompressed (bounds a compression bomb).</summary>
    public const int MaxPlaintextBytes = 64 * 1024;

    /// <summary>Encrypts <paramref name="plaintext"/> for every key (each an encryption-capable public key or subkey).</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<PgpPublicKey> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("an OpenPGP message needs at least one recipient", nameof(recipients));
        }

        var generator = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, withIntegrityPacket: true, new SecureRandom());
        foreach (var key in recipients)
        {
            generator.AddMethod(key);
        }

        using var output = new MemoryStream();
        using (var encrypted = generator.Open(output, new byte[1 << 12]))
        {
            var literal = new PgpLiteralDataGenerator();
            using var body = literal.Open(encrypted, PgpLiteralData.Binary, string.Empty, plaintext.Length, DateTime.UnixEpoch);
            body.Write(plaintext);
        }

        return output.ToArray();
    }

    /// <summary>The key IDs a message is encrypted to, without decrypting it.</summary>
    public static IReadOnlyList<ulong> RecipientKeyIds(ReadOnlySpan<byte> message, string context) =>
        [.. ReadEncryptedData(message, context).GetEncryptedDataObjects().OfType<PgpPublicKeyEncryptedData>().Select(d => unchecked((ulong)d.KeyId))];

    /// <summary>
    /// Decrypts with the first secret key that is a recipient; null when none is (<paramref name="failures"/> says why).
    /// <paramref name="passphrase"/> unlocks protected secret keys.
    /// </summary>
    public static byte[]? Decrypt(ReadOnlySpan<byte> message, IReadOnlyList<PgpSecretKeyRingBundle> keyrings, ReadOnlySpan<char> passphrase, string context, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(keyrings);
        ArgumentNullException.ThrowIfNull(failures);
        var list = ReadEncryptedData(message, context);
        foreach (var data in list.GetEncryptedDataObjects().OfType<PgpPublicKeyEncryptedData>())
        {
            var secretKey = keyrings.Select(k => k.GetSecretKey(data.KeyId)).FirstOrDefault(k => k is not null);
            if (secretKey is null)
            {
                failures.Add($"{context}: no secret key for recipient {unchecked((ulong)data.KeyId):X16}");
                continue;
            }

            PgpPrivateKey privateKey;
            try
            {
                privateKey = secretKey.ExtractPrivateKey(passphrase.ToArray());
            }
            catch (PgpException)
            {
                failures.Add($"{context}: the secret key {unchecked((ulong)data.KeyId):X16} does not open with the passphrase given");
                continue;
            }

            try
            {
                using var clear = data.GetDataStream(privateKey);
                var plaintext = ReadLiteral(clear, context);
                if (!data.IsIntegrityProtected())
                {
                    throw StrataException.BadInput($"{context}: the OpenPGP message has no integrity protection (MDC); refused");
                }

                if (!data.Verify())
                {
                    throw StrataException.BadInput($"{context}: OpenPGP integrity check (MDC) failed: the encrypted layer key was changed");
                }

                return plaintext;
            }
            catch (PgpException e)
            {
                throw StrataException.BadInput($"{context}: the OpenPGP message does not decrypt with key {unchecked((ulong)data.KeyId):X16} ({e.Message})", e);
            }
        }

        return null;
    }

    /// <summary>Reads public keys (armored or binary; keyrings or single keys) and returns the encryption-capable ones.</summary>
    public static IReadOnlyList<PgpPublicKey> LoadPublicEncryptionKeys(ReadOnlySpan<byte> data, string source)
    {
        try
        {
            using var input = PgpUtilities.GetDecoderStream(new MemoryStream(data.ToArray()));
            var bundle = new PgpPublicKeyRingBundle(input);
            var keys = new List<PgpPublicKey>();
            foreach (var ring in bundle.GetKeyRings())
            {
                var usable = ring.GetPublicKeys().Where(k => k.IsEncryptionKey && !k.HasRevocation() && !Expired(k)).ToList();
                if (usable.Count == 0)
                {
                    throw StrataException.Usage($"{source}: key {unchecked((ulong)ring.GetPublicKey().KeyId):X16} has no usable encryption key or subkey (revoked, expired or sign-only)");
                }

                // The newest encryption subkey, as gpg chooses.
                keys.Add(usable.OrderByDescending(k => k.CreationTime).First());
            }

            return keys.Count > 0 ? keys : throw StrataException.Usage($"{source}: no OpenPGP public key in this file");
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw StrataException.BadInput($"{source}: not an OpenPGP public key or keyring ({e.Message})", e);
        }
    }

    /// <summary>Reads secret keys (armored or binary secret keyrings).</summary>
    public static PgpSecretKeyRingBundle LoadSecretKeys(ReadOnlySpan<byte> data, string source)
    {
        try
        {
            using var input = PgpUtilities.GetDecoderStream(new MemoryStream(data.ToArray()));
            var bundle = new PgpSecretKeyRingBundle(input);
            return bundle.Count > 0 ? bundle : throw StrataException.Usage($"{source}: no OpenPGP secret key in this file");
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw StrataException.BadInput($"{source}: not an OpenPGP secret keyring ({e.Message})", e);
        }
    }

    /// <summary>True when <paramref name="data"/> reads as an OpenPGP secret keyring (ocicrypt's IsGPGPrivateKeyRing).</summary>
    public static bool LooksLikeSecretKeyring(ReadOnlySpan<byte> data)
    {
        try
        {
            using var input = PgpUtilities.GetDecoderStream(new MemoryStream(data.ToArray()));
            return new PgpSecretKeyRingBundle(input).Count > 0;
        }
        catch (Exception e) when (e is PgpException or IOException or ArgumentException)
        {
            return false;
        }
    }

    private static bool Expired(PgpPublicKey key)
    {
        var seconds = key.GetValidSeconds();
        return seconds > 0 && key.CreationTime.AddSeconds(seconds) < DateTime.UtcNow;
    }

    private static PgpEncryptedDataList ReadEncryptedData(ReadOnlySpan<byte> message, string context)
    {
        if (message.Length > MaxBytes)
        {
            throw StrataException.BadInput($"{context}: the OpenPGP message is {message.Length} bytes, more than the {MaxBytes} accepted");
        }

        try
        {
            var factory = new PgpObjectFactory(PgpUtilities.GetDecoderStream(new MemoryStream(message.ToArray())));
            for (var item = factory.NextPgpObject(); item is not null; item = factory.NextPgpObject())
            {
                switch (item)
                {
                    case PgpEncryptedDataList list:
                        return list;
                    case PgpMarker:
                        continue;
                    default:
                        throw StrataException.BadInput($"{context}: the OpenPGP message starts with a {item.GetType().Name} packet, not encrypted data");
                }
            }
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw StrataException.BadInput($"{context}: not an OpenPGP message ({e.Message})", e);
        }

        throw StrataException.BadInput($"{context}: the OpenPGP message holds no encrypted data");
    }

    /// <summary>The literal data inside a decrypted stream, through at most one compression layer, bounded.</summary>
    private static byte[] ReadLiteral(Stream clear, string context)
    {
        var factory = new PgpObjectFactory(clear);
        var item = factory.NextPgpObject();
        if (item is PgpCompressedData compressed)
        {
            factory = new PgpObjectFactory(compressed.GetDataStream());
            item = factory.NextPgpObject();
        }

        if (item is not PgpLiteralData literal)
        {
            throw StrataException.BadInput($"{context}: the decrypted OpenPGP message holds a {item?.GetType().Name ?? "nothing"}, not literal data");
        }

        using var body = literal.GetInputStream();
        var buffer = new byte[MaxPlaintextBytes + 1];
        var total = 0;
        int n;
        while ((n = body.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += n;
            if (total > MaxPlaintextBytes)
            {
                throw StrataException.BadInput($"{context}: the OpenPGP literal data is larger than {MaxPlaintextBytes} bytes");
            }
        }

        // The MDC is checked only once the whole packet has been read: drain what follows the literal data.
        var drain = new byte[4096];
        while (clear.Read(drain, 0, drain.Length) > 0)
        {
        }

        return buffer[..total];
    }
}
