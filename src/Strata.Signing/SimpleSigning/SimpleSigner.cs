namespace Strata.Signing.SimpleSigning;

using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

/// <summary>
/// Signs simple-signing payloads with an OpenPGP secret key, writing what <c>gpg --sign</c> (and so
/// <c>skopeo standalone-sign</c>) writes: a ZIP-compressed packet holding a one-pass signature, the literal data
/// (binary, no file name) and a v4 binary-document signature over SHA-512 with the issuer fingerprint and creation
/// time hashed and the issuer key ID unhashed.
/// </summary>
public sealed class SimpleSigner
{
    private readonly PgpPrivateKey privateKey;
    private readonly PgpPublicKey signingKey;

    private SimpleSigner(PgpPrivateKey privateKey, PgpPublicKey signingKey, string fingerprint)
    {
        this.privateKey = privateKey;
        this.signingKey = signingKey;
        Fingerprint = fingerprint;
    }

    /// <summary>The primary key's fingerprint (upper-case hex): what a <c>signedBy</c> policy and skopeo name the signer by.</summary>
    public string Fingerprint { get; }

    /// <summary>The fingerprint of the key that makes the signatures (the primary key or a signing subkey).</summary>
    public string SigningKeyFingerprint => OpenPgpKeyring.FingerprintOf(signingKey);

    /// <summary>
    /// Reads a secret key from a secret keyring (gpg's secring.gpg, <c>gpg --export-secret-keys</c>, binary or armored).
    /// <paramref name="fingerprint"/> selects the key (primary or subkey fingerprint, or a long key ID); it may be null
    /// when the file holds one key. The passphrase is empty for an unprotected key; it never appears in errors.
    /// </summary>
    public static SimpleSigner Load(string secretKeyPath, string? fingerprint, ReadOnlySpan<char> passphrase)
    {
        ArgumentNullException.ThrowIfNull(secretKeyPath);
        var info = new FileInfo(secretKeyPath);
        if (!info.Exists)
        {
            throw new SignatureException($"{secretKeyPath}: no such secret key file");
        }

        if (info.Length > OpenPgpKeyring.MaxKeyringBytes)
        {
            throw new SignatureException($"{secretKeyPath}: {info.Length} bytes, more than the {OpenPgpKeyring.MaxKeyringBytes} allowed for a secret keyring");
        }

        return FromBytes(File.ReadAllBytes(secretKeyPath), secretKeyPath, fingerprint, passphrase);
    }

    /// <summary>As <see cref="Load"/>, from bytes; <paramref name="origin"/> names them in errors.</summary>
    public static SimpleSigner FromBytes(byte[] secretKeyring, string origin, string? fingerprint, ReadOnlySpan<char> passphrase)
    {
        ArgumentNullException.ThrowIfNull(secretKeyring);
        var rings = ReadSecretRings(secretKeyring, origin);
        var (ring, secretKey) = Select(rings, fingerprint, origin);
        var primary = ring.GetPublicKey();
        PgpPrivateKey? privateKey;
        try
        {
            privateKey = secretKey.ExtractPrivateKeyUtf8(passphrase.ToArray());
        }
        catch (PgpException)
        {
            throw new SignatureException(passphrase.IsEmpty
                ? $"{origin}: secret key {OpenPgpKeyring.FingerprintOf(secretKey.PublicKey)} is protected by a passphrase; give it with --passphrase-file or $STRATA_PASSWORD"
                : $"{origin}: wrong passphrase for secret key {OpenPgpKeyring.FingerprintOf(secretKey.PublicKey)}");
        }

        if (privateKey is null)
        {
            throw new SignatureException($"{origin}: secret key {OpenPgpKeyring.FingerprintOf(secretKey.PublicKey)} has no private part (a stub exported with --export-secret-subkeys?)");
        }

        return new SimpleSigner(privateKey, secretKey.PublicKey, OpenPgpKeyring.FingerprintOf(primary));
    }

    /// <summary>Signs a payload, returning the bytes of a <c>signature-N</c> file.</summary>
    public byte[] Sign(SignaturePayload payload, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Sign(payload.ToJson(), now);
    }

    /// <summary>Signs arbitrary content as <c>gpg --sign</c> does (compressed, non-detached).</summary>
    public byte[] Sign(ReadOnlySpan<byte> content, DateTimeOffset? now = null)
    {
        // OpenPGP times have one-second resolution.
        var time = DateTimeOffset.FromUnixTimeSeconds((now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds()).UtcDateTime;
        var generator = new PgpSignatureGenerator(signingKey.Algorithm, HashAlgorithmTag.Sha512);
        generator.InitSign(PgpSignature.BinaryDocument, privateKey);
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetIssuerFingerprint(false, signingKey);
        hashed.SetSignatureCreationTime(false, time);
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, signingKey.KeyId);
        generator.SetUnhashedSubpackets(unhashed.Generate());

        var output = new MemoryStream();
        var compressor = new PgpCompressedDataGenerator(CompressionAlgorithmTag.Zip);
        using (var compressed = compressor.Open(output))
        {
            generator.GenerateOnePassVersion(false).Encode(compressed);
            var literalGenerator = new PgpLiteralDataGenerator();
            using (var literal = literalGenerator.Open(compressed, PgpLiteralData.Binary, "", content.Length, time))
            {
                literal.Write(content);
            }

            generator.Update(content);
            generator.Generate().Encode(compressed);
        }

        return output.ToArray();
    }

    private static List<PgpSecretKeyRing> ReadSecretRings(byte[] data, string origin)
    {
        var rings = new List<PgpSecretKeyRing>();
        try
        {
            using var decoded = PgpUtilities.GetDecoderStream(new MemoryStream(data));
            var factory = new PgpObjectFactory(decoded);
            for (var item = factory.NextPgpObject(); item is not null; item = factory.NextPgpObject())
            {
                switch (item)
                {
                    case PgpSecretKeyRing ring:
                        rings.Add(ring);
                        break;
                    case PgpPublicKeyRing:
                        throw new SignatureException($"{origin}: holds a public key, not a secret key (export it with gpg --export-secret-keys)");
                    case PgpMarker:
                        break;
                    default:
                        throw new SignatureException($"{origin}: expected OpenPGP secret keys, found a {item.GetType().Name} packet");
                }
            }
        }
        catch (Exception e) when (e is IOException or PgpException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new SignatureException($"{origin}: not an OpenPGP secret keyring: {e.Message}");
        }

        return rings.Count > 0 ? rings : throw new SignatureException($"{origin}: no OpenPGP secret key found");
    }

    private static (PgpSecretKeyRing Ring, PgpSecretKey Key) Select(List<PgpSecretKeyRing> rings, string? fingerprint, string origin)
    {
        if (fingerprint is null)
        {
            return rings.Count == 1
                ? (rings[0], SigningKeyOf(rings[0], origin))
                : throw new SignatureException($"{origin}: holds {rings.Count} keys ({string.Join(", ", rings.Select(r => OpenPgpKeyring.FingerprintOf(r.GetPublicKey())))}); name one by its fingerprint");
        }

        var wanted = NormalizeFingerprint(fingerprint);
        foreach (var ring in rings)
        {
            foreach (var key in ring.GetSecretKeys())
            {
                var candidate = OpenPgpKeyring.FingerprintOf(key.PublicKey);
                var matches = candidate == wanted || (wanted.Length == 16 && candidate.EndsWith(wanted, StringComparison.Ordinal));
                if (!matches)
                {
                    continue;
                }

                // gpg signs with the primary key when it can sign, else with a signing subkey; a subkey named directly is used as is.
                return (ring, key.IsMasterKey ? SigningKeyOf(ring, origin) : key);
            }
        }

        throw new SignatureException($"{origin}: no secret key with fingerprint {wanted}");
    }

    private static PgpSecretKey SigningKeyOf(PgpSecretKeyRing ring, string origin)
    {
        var primary = ring.GetSecretKey();
        if (CanSign(primary.PublicKey, primary.PublicKey))
        {
            return primary;
        }

        var subkey = ring.GetSecretKeys()
            .Where(k => !k.IsMasterKey && !k.IsPrivateKeyEmpty && CanSign(k.PublicKey, primary.PublicKey))
            .OrderByDescending(k => k.PublicKey.CreationTime)
            .FirstOrDefault();
        return subkey ?? throw new SignatureException($"{origin}: key {OpenPgpKeyring.FingerprintOf(primary.PublicKey)} has no signing key");
    }

    private static bool CanSign(PgpPublicKey key, PgpPublicKey primary)
    {
        if (key.Algorithm is PublicKeyAlgorithmTag.RsaEncrypt or PublicKeyAlgorithmTag.ElGamalEncrypt or PublicKeyAlgorithmTag.ECDH)
        {
            return false;
        }

        var type = key.IsMasterKey ? -1 : PgpSignature.SubkeyBinding;
        var signatures = type < 0 ? key.GetSignatures() : key.GetSignaturesOfType(type);
        var flagged = signatures
            .Where(s => s.KeyId == primary.KeyId && s.HasSubpackets && s.GetHashedSubPackets().HasSubpacket(SignatureSubpacketTag.KeyFlags))
            .OrderByDescending(s => s.CreationTime)
            .FirstOrDefault();
        return flagged is null || (flagged.GetHashedSubPackets().GetKeyFlags() & PgpKeyFlags.CanSign) != 0;
    }

    private static string NormalizeFingerprint(string fingerprint)
    {
        var text = new StringBuilder();
        foreach (var c in fingerprint)
        {
            if (!char.IsWhiteSpace(c))
            {
                text.Append(char.ToUpperInvariant(c));
            }
        }

        var result = text.ToString();
        return result.StartsWith("0X", StringComparison.Ordinal) ? result[2..] : result;
    }
}
