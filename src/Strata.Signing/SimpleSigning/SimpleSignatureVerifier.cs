namespace Strata.Signing.SimpleSigning;

using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

/// <summary>
/// Verifies a GPG simple signature ("atomic container signature") as containers/image does: the signature is an
/// OpenPGP signed message as <c>gpg --sign</c> writes it (optionally compressed: one-pass signature, literal data,
/// signature; not detached), made by a key in the keyring that is neither revoked nor expired, not expired itself,
/// and its literal data is the strict JSON payload. Checking the manifest digest and identity is the caller's job.
/// </summary>
public static class SimpleSignatureVerifier
{
    /// <summary>The payload type of GPG simple signatures.</summary>
    public const string SignatureType = SignaturePayload.AtomicType;

    /// <summary>containers/image reads at most 4 MiB per signature; so do we, for the signature and its signed content.</summary>
    public const int MaxSignatureBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Verifies the signature and returns its payload; <paramref name="signerFingerprint"/> is the primary key's fingerprint
    /// (also when a subkey signed). Every key in <paramref name="keyring"/> is accepted.
    /// </summary>
    public static SignaturePayload Verify(ReadOnlySpan<byte> signature, OpenPgpKeyring keyring, out string signerFingerprint) =>
        Verify(signature, keyring, null, out signerFingerprint);

    /// <summary>As <see cref="Verify(ReadOnlySpan{byte}, OpenPgpKeyring, out string)"/>, accepting only signers whose primary fingerprint is listed.</summary>
    public static SignaturePayload Verify(ReadOnlySpan<byte> signature, OpenPgpKeyring keyring, IReadOnlyCollection<string>? acceptedFingerprints, out string signerFingerprint)
    {
        var content = VerifyMessage(signature, keyring, DateTimeOffset.UtcNow, out var fingerprint);
        if (acceptedFingerprints is not null && !acceptedFingerprints.Contains(fingerprint, StringComparer.OrdinalIgnoreCase))
        {
            throw new SignatureException($"signature by key {fingerprint} is not accepted (accepted: {string.Join(", ", acceptedFingerprints)})");
        }

        var payload = SignaturePayload.ParseStrict(content, SignatureType);
        signerFingerprint = fingerprint;
        return payload;
    }

    /// <summary>
    /// Checks the OpenPGP signed message and returns the signed content (no payload parsing), with the signer's primary
    /// key fingerprint. Throws <see cref="SignatureException"/> saying what is wrong.
    /// </summary>
    public static byte[] VerifyMessage(ReadOnlySpan<byte> signature, OpenPgpKeyring keyring, DateTimeOffset now, out string signerFingerprint)
    {
        ArgumentNullException.ThrowIfNull(keyring);
        if (signature.Length == 0)
        {
            throw new SignatureException("signature is empty");
        }

        if (signature.Length > MaxSignatureBytes)
        {
            throw new SignatureException($"signature is {signature.Length} bytes, more than the {MaxSignatureBytes} allowed");
        }

        SignedMessage message;
        try
        {
            message = SignedMessage.Read(signature.ToArray());
        }
        catch (Exception e) when (e is IOException or PgpException or ArgumentException or InvalidOperationException or NotSupportedException or EndOfStreamException)
        {
            throw new SignatureException($"signature is not a valid OpenPGP message: {e.Message}");
        }

        var sig = message.Signature;
        var keyId = sig.KeyId;
        var candidates = keyring.FindByKeyId(keyId).ToList();
        if (candidates.Count == 0)
        {
            throw new SignatureException($"signature by unknown key {keyId:X16}: not in the keyring");
        }

        string? lastProblem = null;
        foreach (var (ring, key) in candidates)
        {
            if (!Matches(sig, key, message.Content))
            {
                lastProblem = $"signature does not match the signed data and key {keyId:X16} (corrupt or tampered)";
                continue;
            }

            var primary = ring.GetPublicKey();
            var problem = KeyProblem(primary, key, sig.CreationTime, now) ?? SignatureExpiry(sig, now);
            if (problem is not null)
            {
                throw new SignatureException(problem);
            }

            signerFingerprint = OpenPgpKeyring.FingerprintOf(primary);
            return message.Content;
        }

        throw new SignatureException(lastProblem ?? "signature does not verify");
    }

    private static bool Matches(PgpSignature sig, PgpPublicKey key, byte[] content)
    {
        try
        {
            sig.InitVerify(key);
            sig.Update(content);
            return sig.Verify();
        }
        catch (PgpException)
        {
            return false;
        }
    }

    private static string? SignatureExpiry(PgpSignature sig, DateTimeOffset now)
    {
        if (sig.Version < 4 || !sig.HasSubpackets)
        {
            return null;
        }

        var lifetime = sig.GetHashedSubPackets().GetSignatureExpirationTime();
        if (lifetime <= 0)
        {
            return null;
        }

        var expiry = new DateTimeOffset(sig.CreationTime, TimeSpan.Zero).AddSeconds(lifetime);
        return now > expiry ? $"signature expired on {expiry:u}" : null;
    }

    /// <summary>What gpg would refuse about the signing key: a revoked or expired primary key, or a subkey that is unbound, revoked, expired or not for signing.</summary>
    private static string? KeyProblem(PgpPublicKey primary, PgpPublicKey signingKey, DateTime signatureCreated, DateTimeOffset now)
    {
        var primaryFingerprint = OpenPgpKeyring.FingerprintOf(primary);
        if (HasValidRevocation(primary, primary, PgpSignature.KeyRevocation))
        {
            return $"key {primaryFingerprint} is revoked";
        }

        if (Expiry(primary, primary.GetValidSeconds()) is DateTimeOffset primaryExpiry && now > primaryExpiry)
        {
            return $"key {primaryFingerprint} expired on {primaryExpiry:u}";
        }

        if (signingKey.IsMasterKey)
        {
            return null;
        }

        var subFingerprint = OpenPgpKeyring.FingerprintOf(signingKey);
        if (HasValidRevocation(signingKey, primary, PgpSignature.SubkeyRevocation))
        {
            return $"subkey {subFingerprint} of key {primaryFingerprint} is revoked";
        }

        var binding = LatestValidBinding(signingKey, primary);
        if (binding is null)
        {
            return $"subkey {subFingerprint} is not bound to key {primaryFingerprint} by a valid signature";
        }

        var hashed = binding.GetHashedSubPackets();
        if (hashed.HasSubpacket(SignatureSubpacketTag.KeyFlags) && (hashed.GetKeyFlags() & PgpKeyFlags.CanSign) == 0)
        {
            return $"subkey {subFingerprint} of key {primaryFingerprint} is not a signing key";
        }

        if (Expiry(signingKey, hashed.GetKeyExpirationTime()) is DateTimeOffset subExpiry && now > subExpiry)
        {
            return $"subkey {subFingerprint} of key {primaryFingerprint} expired on {subExpiry:u}";
        }

        return signatureCreated < signingKey.CreationTime
            ? $"signature predates its subkey {subFingerprint}"
            : null;
    }

    private static DateTimeOffset? Expiry(PgpPublicKey key, long validSeconds) =>
        validSeconds > 0 ? new DateTimeOffset(key.CreationTime, TimeSpan.Zero).AddSeconds(validSeconds) : null;

    private static bool HasValidRevocation(PgpPublicKey key, PgpPublicKey primary, int type)
    {
        foreach (var revocation in key.GetSignaturesOfType(type))
        {
            if (revocation.KeyId != primary.KeyId)
            {
                continue;
            }

            try
            {
                revocation.InitVerify(primary);
                var valid = type == PgpSignature.KeyRevocation
                    ? revocation.VerifyCertification(primary)
                    : revocation.VerifyCertification(primary, key);
                if (valid)
                {
                    return true;
                }
            }
            catch (PgpException)
            {
                // An unverifiable revocation does not revoke, as in gpg.
            }
        }

        return false;
    }

    private static PgpSignature? LatestValidBinding(PgpPublicKey subkey, PgpPublicKey primary)
    {
        PgpSignature? latest = null;
        foreach (var binding in subkey.GetSignaturesOfType(PgpSignature.SubkeyBinding))
        {
            if (binding.KeyId != primary.KeyId)
            {
                continue;
            }

            try
            {
                binding.InitVerify(primary);
                if (binding.VerifyCertification(primary, subkey) && (latest is null || binding.CreationTime > latest.CreationTime))
                {
                    latest = binding;
                }
            }
            catch (PgpException)
            {
                // An unverifiable binding binds nothing.
            }
        }

        return latest;
    }

    /// <summary>The parts of a signed message, read strictly: exactly one signature over exactly one literal-data packet, nothing after.</summary>
    private sealed record SignedMessage(PgpSignature Signature, byte[] Content)
    {
        public static SignedMessage Read(byte[] data)
        {
            var factory = new PgpObjectFactory(data);
            var item = NextNonMarker(factory);
            var compressed = false;
            if (item is PgpCompressedData compressedData)
            {
                compressed = true;
                factory = new PgpObjectFactory(compressedData.GetDataStream());
                item = NextNonMarker(factory);
            }

            PgpSignature signature;
            byte[] content;
            switch (item)
            {
                case PgpOnePassSignatureList onePassList:
                    if (onePassList.Count != 1)
                    {
                        throw new SignatureException($"signed message carries {onePassList.Count} signatures; exactly one is expected");
                    }

                    content = ReadLiteral(NextNonMarker(factory));
                    signature = SingleSignature(NextNonMarker(factory));
                    if (signature.KeyId != onePassList[0].KeyId)
                    {
                        throw new SignatureException("signed message is inconsistent: its one-pass header and signature name different keys");
                    }

                    break;
                case PgpSignatureList signatures:
                    // The older layout (signature first, then the data) that gpg still reads.
                    signature = SingleSignature(signatures);
                    content = ReadLiteral(NextNonMarker(factory));
                    break;
                case PgpLiteralData:
                    throw new SignatureException("not signed: the message is literal data without a signature");
                case PgpEncryptedDataList:
                    throw new SignatureException("not signed: the message is encrypted data, not a signature");
                case null:
                    throw new SignatureException(compressed ? "signature is an empty compressed packet" : "signature holds no OpenPGP packet");
                default:
                    throw new SignatureException($"not a signed message: it starts with a {item.GetType().Name} packet");
            }

            if (NextNonMarker(factory) is { } trailing)
            {
                throw new SignatureException($"signed message is followed by an unexpected {trailing.GetType().Name} packet");
            }

            if (signature.SignatureType != PgpSignature.BinaryDocument)
            {
                throw new SignatureException($"signature type 0x{signature.SignatureType:X2} is not a binary document signature");
            }

            return new SignedMessage(signature, content);
        }

        private static PgpObject? NextNonMarker(PgpObjectFactory factory)
        {
            while (true)
            {
                var item = factory.NextPgpObject();
                if (item is not PgpMarker)
                {
                    return item;
                }
            }
        }

        private static PgpSignature SingleSignature(PgpObject? item)
        {
            if (item is not PgpSignatureList list || list.Count == 0)
            {
                throw new SignatureException("signed message has no signature after its data (truncated?)");
            }

            if (list.Count != 1)
            {
                throw new SignatureException($"signed message carries {list.Count} signatures; exactly one is expected");
            }

            return list[0];
        }

        private static byte[] ReadLiteral(PgpObject? item)
        {
            if (item is not PgpLiteralData literal)
            {
                throw new SignatureException("signed message has no literal data packet");
            }

            using var stream = literal.GetDataStream();
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                // The content may be compressed: bound what it expands to.
                if (buffer.Length + read > MaxSignatureBytes)
                {
                    throw new SignatureException($"signed content is more than {MaxSignatureBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
