namespace Strata.Encryption.KeyWrap;

using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Strata.Core;

/// <summary>One recipient of a PKCS#7 envelope, by the issuer and serial number of its certificate.</summary>
public sealed record Pkcs7Recipient(string Issuer, string SerialNumber, string KeyEncryption);

/// <summary>
/// PKCS#7 EnvelopedData as ocicrypt's PKCS#7 key wrapper writes it (through Go's pkcs7 package): version 0, one
/// RecipientInfo per certificate (IssuerAndSerialNumber, <c>rsaEncryption</c> with no parameters, RSAES-PKCS1-v1_5 of a
/// 16-byte key), content <c>aes-128-gcm</c> whose <c>[0]</c> holds ciphertext and the 16-byte tag. That package encodes
/// the GCM parameters its own way, not as RFC 5084 says: a primitive universal tag 16 around the DER of
/// <c>SEQUENCE { [4] nonce, INTEGER 16 }</c>. skopeo rejects the RFC form and OpenSSL cannot read this one, so the ASN.1
/// is built and read here rather than with <see cref="System.Security.Cryptography.Pkcs"/>. Reading also accepts the
/// RFC 5084 parameters, aes-256-gcm, AES-CBC content and RSAES-OAEP key encryption.
/// </summary>
public static class Pkcs7
{
    public const int MaxBytes = 4 * 1024 * 1024;

    private const string EnvelopedDataOid = "1.2.840.113549.1.7.3";
    private const string DataOid = "1.2.840.113549.1.7.1";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string RsaOaepOid = "1.2.840.113549.1.1.7";
    private const string Aes128GcmOid = "2.16.840.1.101.3.4.1.6";
    private const string Aes256GcmOid = "2.16.840.1.101.3.4.1.46";
    private const string Aes128CbcOid = "2.16.840.1.101.3.4.1.2";
    private const string Aes256CbcOid = "2.16.840.1.101.3.4.1.42";

    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag Context0Constructed = new(TagClass.ContextSpecific, 0, isConstructed: true);

    /// <summary>Encrypts <paramref name="plaintext"/> for the RSA key of each certificate.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<X509Certificate2> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("a PKCS#7 envelope needs at least one recipient", nameof(recipients));
        }

        var key = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var sealedContent = new byte[plaintext.Length + 16];
        using (var gcm = new AesGcm(key, 16))
        {
            gcm.Encrypt(nonce, plaintext, sealedContent.AsSpan(0, plaintext.Length), sealedContent.AsSpan(plaintext.Length));
        }

        // BER with definite lengths (the same bytes as DER here) so that the SET OF keeps the recipients' order, as Go's
        // encoding/asn1 does; a DER writer would sort it.
        var writer = new AsnWriter(AsnEncodingRules.BER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(EnvelopedDataOid);
            using (writer.PushSequence(Context0Constructed))
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
                using (writer.PushSetOf())
                {
                    foreach (var certificate in recipients)
                    {
                        using var rsa = certificate.GetRSAPublicKey()
                            ?? throw StrataException.Usage($"PKCS#7 recipient {certificate.Subject}: the certificate's key is not RSA (ocicrypt's PKCS#7 wrapping takes RSA keys only)");
                        using (writer.PushSequence())
                        {
                            writer.WriteInteger(0);
                            using (writer.PushSequence())
                            {
                                writer.WriteEncodedValue(certificate.IssuerName.RawData);
                                writer.WriteInteger(certificate.SerialNumberBytes.Span);
                            }

                            using (writer.PushSequence())
                            {
                                writer.WriteObjectIdentifier(RsaEncryptionOid);
                            }

                            writer.WriteOctetString(rsa.Encrypt(key, RSAEncryptionPadding.Pkcs1));
                        }
                    }
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(DataOid);
                    writer.WriteEncodedValue(GcmAlgorithmIdentifier(nonce));
                    writer.WriteOctetString(sealedContent, Context0);
                }
            }
        }

        CryptographicOperations.ZeroMemory(key);
        return writer.Encode();
    }

    /// <summary>The recipients an envelope names, without decrypting it.</summary>
    public static IReadOnlyList<Pkcs7Recipient> Recipients(ReadOnlySpan<byte> envelope, string context) =>
        [.. Parse(envelope, context).Recipients.Select(r => new Pkcs7Recipient(r.Issuer.Name, Convert.ToHexString(r.Serial), r.Algorithm == RsaOaepOid ? "RSAES-OAEP" : "rsaEncryption"))];

    /// <summary>
    /// Decrypts with the first key that opens a recipient. ocicrypt finds the recipient by a certificate's issuer and
    /// serial number; given <paramref name="certificates"/>, so does this, and without any it tries each recipient.
    /// Null when no key fits (<paramref name="failures"/> says why).
    /// </summary>
    public static byte[]? Decrypt(ReadOnlySpan<byte> envelope, IReadOnlyList<RSA> keys, IReadOnlyList<X509Certificate2> certificates, string context, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(failures);
        var message = Parse(envelope, context);
        foreach (var key in keys)
        {
            var keyInfo = key.ExportSubjectPublicKeyInfo();
            var candidates = certificates.Count == 0
                ? message.Recipients
                : [.. message.Recipients.Where(r => certificates.Any(c =>
                    c.IssuerName.RawData.AsSpan().SequenceEqual(r.Issuer.RawData) && c.SerialNumberBytes.Span.SequenceEqual(r.Serial) &&
                    c.GetRSAPublicKey() is { } certificateKey && certificateKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(keyInfo)))];
            if (candidates.Count == 0)
            {
                failures.Add($"{context}: no recipient is the certificate of the RSA-{key.KeySize} key given");
                continue;
            }

            foreach (var recipient in candidates)
            {
                byte[] contentKey;
                try
                {
                    contentKey = key.Decrypt(recipient.EncryptedKey, recipient.Padding);
                }
                catch (CryptographicException)
                {
                    failures.Add($"{context}: the RSA-{key.KeySize} key does not open the recipient {recipient.Issuer.Name} #{Convert.ToHexString(recipient.Serial)}");
                    continue;
                }

                try
                {
                    if (DecryptContent(message, contentKey, context) is { } plaintext)
                    {
                        return plaintext;
                    }

                    failures.Add($"{context}: the key of recipient {recipient.Issuer.Name} does not open the content");
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(contentKey);
                }
            }
        }

        return null;
    }

    private sealed record Recipient(X500DistinguishedName Issuer, byte[] Serial, string Algorithm, RSAEncryptionPadding Padding, byte[] EncryptedKey);

    private sealed record Envelope(List<Recipient> Recipients, string ContentAlgorithm, byte[] Nonce, int TagLength, byte[] Iv, byte[] Content, bool Gcm);

    /// <summary>AlgorithmIdentifier { aes-128-gcm, [universal 16, primitive] DER(SEQUENCE { [4] nonce, INTEGER 16 }) }.</summary>
    private static byte[] GcmAlgorithmIdentifier(byte[] nonce)
    {
        var parameters = new AsnWriter(AsnEncodingRules.DER);
        using (parameters.PushSequence())
        {
            parameters.WriteOctetString(nonce, new Asn1Tag(TagClass.ContextSpecific, 4));
            parameters.WriteInteger(16);
        }

        var inner = parameters.Encode();
        var oid = new AsnWriter(AsnEncodingRules.DER);
        oid.WriteObjectIdentifier(Aes128GcmOid);
        var oidBytes = oid.Encode();
        var content = new byte[oidBytes.Length + 2 + inner.Length];
        oidBytes.CopyTo(content, 0);
        content[oidBytes.Length] = 0x10;
        content[oidBytes.Length + 1] = checked((byte)inner.Length);
        inner.CopyTo(content, oidBytes.Length + 2);
        var sequence = new byte[2 + content.Length];
        sequence[0] = 0x30;
        sequence[1] = checked((byte)content.Length);
        content.CopyTo(sequence, 2);
        return sequence;
    }

    private static Envelope Parse(ReadOnlySpan<byte> bytes, string context)
    {
        if (bytes.Length > MaxBytes)
        {
            throw StrataException.BadInput($"{context}: the PKCS#7 envelope is {bytes.Length} bytes, more than the {MaxBytes} accepted");
        }

        try
        {
            var root = new AsnReader(bytes.ToArray(), AsnEncodingRules.BER);
            var contentInfo = root.ReadSequence();
            root.ThrowIfNotEmpty();
            var type = contentInfo.ReadObjectIdentifier();
            if (type != EnvelopedDataOid)
            {
                throw StrataException.BadInput($"{context}: the PKCS#7 content type is {type}, not envelopedData");
            }

            var enveloped = contentInfo.ReadSequence(Context0Constructed).ReadSequence();
            var version = enveloped.ReadInteger();
            if (version > 4)
            {
                throw StrataException.BadInput($"{context}: EnvelopedData version {version} is not supported");
            }

            if (enveloped.PeekTag().HasSameClassAndValue(Context0Constructed))
            {
                enveloped.ReadEncodedValue(); // originatorInfo: certificates we do not need
            }

            var recipients = new List<Recipient>();
            var set = enveloped.ReadSetOf(skipSortOrderValidation: true);
            while (set.HasData)
            {
                var info = set.ReadSequence();
                info.ReadInteger();
                if (!info.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    set.ThrowIfNotEmpty();
                    throw StrataException.BadInput($"{context}: a PKCS#7 recipient is not identified by issuer and serial number (only key transport with IssuerAndSerialNumber is supported)");
                }

                var issuerAndSerial = info.ReadSequence();
                var issuer = new X500DistinguishedName(issuerAndSerial.ReadEncodedValue().Span);
                var serial = issuerAndSerial.ReadIntegerBytes().ToArray();
                var algorithm = info.ReadSequence();
                var oid = algorithm.ReadObjectIdentifier();
                var padding = oid switch
                {
                    RsaEncryptionOid => RSAEncryptionPadding.Pkcs1,
                    RsaOaepOid => OaepPadding(algorithm, context),
                    _ => throw StrataException.BadInput($"{context}: PKCS#7 key encryption {oid} is not supported (rsaEncryption, RSAES-OAEP)"),
                };
                recipients.Add(new Recipient(issuer, serial, oid, padding, info.ReadOctetString()));
            }

            if (recipients.Count == 0)
            {
                throw StrataException.BadInput($"{context}: the PKCS#7 envelope has no recipients");
            }

            var encrypted = enveloped.ReadSequence();
            encrypted.ReadObjectIdentifier();
            var contentAlgorithm = encrypted.ReadSequence();
            var contentOid = contentAlgorithm.ReadObjectIdentifier();
            var content = ReadContent(encrypted, context);
            switch (contentOid)
            {
                case Aes128GcmOid or Aes256GcmOid:
                    var (nonce, tagLength) = GcmParameters(contentAlgorithm, context);
                    return new Envelope(recipients, contentOid, nonce, tagLength, [], content, Gcm: true);
                case Aes128CbcOid or Aes256CbcOid:
                    var iv = contentAlgorithm.ReadOctetString();
                    return new Envelope(recipients, contentOid, [], 0, iv, content, Gcm: false);
                default:
                    throw StrataException.BadInput($"{context}: PKCS#7 content encryption {contentOid} is not supported (aes-128-gcm, aes-256-gcm, AES-CBC)");
            }
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            throw StrataException.BadInput($"{context}: not a valid PKCS#7 envelope ({e.Message})", e);
        }
    }

    private static RSAEncryptionPadding OaepPadding(AsnReader algorithm, string context)
    {
        if (!algorithm.HasData)
        {
            return RSAEncryptionPadding.OaepSHA1;
        }

        var parameters = algorithm.ReadSequence();
        if (!parameters.HasData || !parameters.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
        {
            return RSAEncryptionPadding.OaepSHA1;
        }

        var hash = parameters.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)).ReadSequence().ReadObjectIdentifier();
        return hash switch
        {
            "1.3.14.3.2.26" => RSAEncryptionPadding.OaepSHA1,
            "2.16.840.1.101.3.4.2.1" => RSAEncryptionPadding.OaepSHA256,
            "2.16.840.1.101.3.4.2.2" => RSAEncryptionPadding.OaepSHA384,
            "2.16.840.1.101.3.4.2.3" => RSAEncryptionPadding.OaepSHA512,
            _ => throw StrataException.BadInput($"{context}: RSAES-OAEP hash {hash} is not supported"),
        };
    }

    /// <summary>Go pkcs7's parameters (universal 16, primitive, around a DER SEQUENCE { [4] nonce, INTEGER }) or RFC 5084's.</summary>
    private static (byte[] Nonce, int TagLength) GcmParameters(AsnReader algorithm, string context)
    {
        var tag = algorithm.PeekTag();
        AsnReader parameters;
        if (tag.TagClass == TagClass.Universal && tag.TagValue == 16 && !tag.IsConstructed)
        {
            var raw = algorithm.ReadEncodedValue();
            AsnDecoder.ReadEncodedValue(raw.Span, AsnEncodingRules.BER, out var offset, out var length, out _);
            parameters = new AsnReader(raw.Slice(offset, length), AsnEncodingRules.BER).ReadSequence();
        }
        else
        {
            parameters = algorithm.ReadSequence();
        }

        var nonceTag = parameters.PeekTag();
        var nonce = nonceTag.TagClass == TagClass.ContextSpecific
            ? parameters.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, nonceTag.TagValue))
            : parameters.ReadOctetString();
        var tagLength = parameters.HasData && parameters.TryReadInt32(out var icv) ? icv : 12;
        if (nonce.Length != 12 || tagLength is not 16)
        {
            throw StrataException.BadInput($"{context}: AES-GCM with a {nonce.Length}-byte nonce and a {tagLength}-byte tag is not supported (12 and 16)");
        }

        return (nonce, tagLength);
    }

    private static byte[] ReadContent(AsnReader encrypted, string context)
    {
        if (!encrypted.HasData)
        {
            throw StrataException.BadInput($"{context}: the PKCS#7 envelope has no encrypted content");
        }

        var tag = encrypted.PeekTag();
        if (tag.TagClass != TagClass.ContextSpecific || tag.TagValue != 0)
        {
            throw StrataException.BadInput($"{context}: the PKCS#7 encrypted content is not tagged [0]");
        }

        // Primitive [0] IMPLICIT OCTET STRING, or constructed: BER's segmented form (the reader joins the segments).
        return encrypted.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
    }

    private static byte[]? DecryptContent(Envelope envelope, byte[] key, string context)
    {
        var expectedKey = envelope.ContentAlgorithm is Aes128GcmOid or Aes128CbcOid ? 16 : 32;
        if (key.Length != expectedKey)
        {
            return null;
        }

        if (envelope.Gcm)
        {
            if (envelope.Content.Length < envelope.TagLength)
            {
                throw StrataException.BadInput($"{context}: the PKCS#7 content is shorter than its GCM tag");
            }

            var cipherLength = envelope.Content.Length - envelope.TagLength;
            var plaintext = new byte[cipherLength];
            try
            {
                using var gcm = new AesGcm(key, envelope.TagLength);
                gcm.Decrypt(envelope.Nonce, envelope.Content.AsSpan(0, cipherLength), envelope.Content.AsSpan(cipherLength), plaintext);
                return plaintext;
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw StrataException.BadInput($"{context}: PKCS#7 authentication failed: the encrypted layer key was changed", e);
            }
        }

        using var aes = Aes.Create();
        aes.Key = key;
        try
        {
            return aes.DecryptCbc(envelope.Content, envelope.Iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
