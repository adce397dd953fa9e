namespace Strata.Secrets.Structured;

using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

/// <summary>What a PKCS#12 (.p12, .pfx) key store exposes.</summary>
internal enum Pkcs12Protection
{
    /// <summary>Not a PKCS#12 PFX structure.</summary>
    NotPkcs12,

    /// <summary>Holds no private key that can be seen (a trust store), or only content that cannot be read without the password.</summary>
    NoPrivateKey,

    /// <summary>Holds a private key that opens with an empty or absent password (or sits in a key bag that is not encrypted at all).</summary>
    Unprotected,

    /// <summary>Holds a private key encrypted with a password.</summary>
    Protected,
}

/// <summary>
/// Recognises PKCS#12 files by their ASN.1 structure (RFC 7292: PFX ::= SEQUENCE { version INTEGER 3, authSafe
/// ContentInfo, macData MacData OPTIONAL }) and tells whether their private keys open without a password. The work is
/// bounded: a size cap, and .NET's PKCS#12 loader limits on iteration counts, keys and certificates.
/// </summary>
internal static class Pkcs12Store
{
    /// <summary>Larger files are not opened: key stores are a few kilobytes.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>Bytes <see cref="LooksLikePfx"/> needs to decide.</summary>
    public const int HeadBytes = 32;

    private const string DataOid = "1.2.840.113549.1.7.1";
    private const string KeyBagOid = "1.2.840.113549.1.12.10.1.1";
    private const string ShroudedKeyBagOid = "1.2.840.113549.1.12.10.1.2";
    private const string SafeContentsBagOid = "1.2.840.113549.1.12.10.1.6";

    /// <summary>Far above what openssl (2048), Windows (2000) and Java (10000) use, far below what stalls a scan.</summary>
    private static readonly Pkcs12LoaderLimits LoaderLimits = ReadOnly(new()
    {
        MacIterationLimit = 100_000,
        IndividualKdfIterationLimit = 100_000,
        TotalKdfIterationLimit = 300_000,
        MaxCertificates = 200,
        MaxKeys = 20,
    });

    /// <summary>pkcs-7 data or signedData OID (1.2.840.113549.1.7.1 or .2) in DER, without the last arc.</summary>
    private static ReadOnlySpan<byte> ContentTypePrefix => [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];

    /// <summary>True when the first bytes are those of a PFX: a SEQUENCE, INTEGER 3, and a ContentInfo of type data or signedData.</summary>
    public static bool LooksLikePfx(ReadOnlySpan<byte> head)
    {
        var at = SequenceHeader(head, 0);
        if (at < 0 || !head[at..].StartsWith((ReadOnlySpan<byte>)[0x02, 0x01, 0x03]))
        {
            return false;
        }

        at = SequenceHeader(head, at + 3);
        return at >= 0
            && head[at..].StartsWith(ContentTypePrefix)
            && head.Length > at + ContentTypePrefix.Length
            && head[at + ContentTypePrefix.Length] is 0x01 or 0x02;
    }

    public static Pkcs12Protection Classify(ReadOnlyMemory<byte> data)
    {
        if (data.Length > MaxBytes || !LooksLikePfx(data.Span[..Math.Min(HeadBytes, data.Length)]))
        {
            return Pkcs12Protection.NotPkcs12;
        }

        var bags = VisibleBags(data);
        if (bags is null)
        {
            return Pkcs12Protection.NotPkcs12;
        }

        if (bags.Value.ClearKeys > 0)
        {
            return Pkcs12Protection.Unprotected;
        }

        if (OpensWithoutPassword(data, out var certificateKeys))
        {
            return certificateKeys || bags.Value.ShroudedKeys > 0 ? Pkcs12Protection.Unprotected : Pkcs12Protection.NoPrivateKey;
        }

        // The password is not empty (or the file asks for more work than allowed): only keys the structure shows count;
        // an encrypted SafeContents may hold anything, and is usually the certificates of a trust store.
        return bags.Value.ShroudedKeys > 0 ? Pkcs12Protection.Protected : Pkcs12Protection.NoPrivateKey;
    }

    /// <summary>The offset after a SEQUENCE tag and its length (definite or indefinite), or -1.</summary>
    private static int SequenceHeader(ReadOnlySpan<byte> head, int at)
    {
        if (at + 2 > head.Length || head[at] != 0x30)
        {
            return -1;
        }

        var first = head[at + 1];
        if (first <= 0x80)
        {
            // Short form, or 0x80: the indefinite length of BER, which some Windows and Java versions write.
            return at + 2;
        }

        var octets = first & 0x7f;
        return octets <= 4 && at + 2 + octets <= head.Length ? at + 2 + octets : -1;
    }

    private static bool OpensWithoutPassword(ReadOnlyMemory<byte> data, out bool hasPrivateKey)
    {
        hasPrivateKey = false;
        try
        {
            // A null password is tried both as absent and as empty, as PKCS#12 implementations write either.
            var certificates = X509CertificateLoader.LoadPkcs12Collection(data.ToArray(), (string?)null, X509KeyStorageFlags.EphemeralKeySet, LoaderLimits);
            foreach (var certificate in certificates)
            {
                hasPrivateKey |= certificate.HasPrivateKey;
                certificate.Dispose();
            }

            return true;
        }
        catch (CryptographicException)
        {
            // A wrong password, a limit exceeded (Pkcs12LoadLimitExceededException), or content the platform cannot read.
            return false;
        }
    }

    /// <summary>Key bags that can be seen without a password, or null when the structure is not a PFX.</summary>
    private static (int ClearKeys, int ShroudedKeys)? VisibleBags(ReadOnlyMemory<byte> data)
    {
        try
        {
            var pfx = new AsnReader(data, AsnEncodingRules.BER).ReadSequence();
            if (!pfx.TryReadInt32(out var version) || version != 3)
            {
                return null;
            }

            var authSafe = pfx.ReadSequence();
            if (authSafe.ReadObjectIdentifier() != DataOid)
            {
                // Public-key integrity mode (signedData): rare, and not opened here.
                return (0, 0);
            }

            var contents = new AsnReader(Explicit0(authSafe).ReadOctetString(), AsnEncodingRules.BER).ReadSequence();
            var counts = (ClearKeys: 0, ShroudedKeys: 0);
            while (contents.HasData)
            {
                var info = contents.ReadSequence();
                if (info.ReadObjectIdentifier() == DataOid)
                {
                    CountBags(Explicit0(info).ReadOctetString(), ref counts, depth: 0);
                }
            }

            return counts;
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static void CountBags(byte[] safeContents, ref (int ClearKeys, int ShroudedKeys) counts, int depth)
    {
        var bags = new AsnReader(safeContents, AsnEncodingRules.BER).ReadSequence();
        while (bags.HasData)
        {
            var bag = bags.ReadSequence();
            switch (bag.ReadObjectIdentifier())
            {
                case KeyBagOid:
                    counts.ClearKeys++;
                    break;
                case ShroudedKeyBagOid:
                    counts.ShroudedKeys++;
                    break;
                case SafeContentsBagOid when depth < 4:
                    CountBags(Explicit0(bag).ReadEncodedValue().ToArray(), ref counts, depth + 1);
                    break;
            }
        }
    }

    /// <summary>Frozen: one instance serves every parallel scan.</summary>
    private static Pkcs12LoaderLimits ReadOnly(Pkcs12LoaderLimits limits)
    {
        limits.MakeReadOnly();
        return limits;
    }

    private static AsnReader Explicit0(AsnReader reader) => reader.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
}
