namespace Strata.Secrets.Structured;

using System.Buffers.Binary;

/// <summary>What the first packet of an armoured PGP private key block says about its secret.</summary>
internal enum PgpProtection
{
    /// <summary>Not base64, or its first packet is not a Secret-Key packet.</summary>
    NotSecretKey,

    /// <summary>S2K usage 0: the secret key material is in clear.</summary>
    Unprotected,

    /// <summary>S2K usage other than 0: the secret key material is encrypted with a passphrase.</summary>
    Protected,

    /// <summary>A Secret-Key packet that ends, or uses an algorithm this reader does not know, before its S2K usage octet.</summary>
    Unknown,
}

/// <summary>
/// Reads the S2K usage octet of the Secret-Key packet an armoured block starts with (RFC 4880 5.5.3, RFC 9580 5.5.3):
/// the public key material has to be walked to find it.
/// </summary>
internal static class PgpSecretKey
{
    private const int SecretKeyTag = 5;

    /// <summary>Classifies the armoured body (headers, base64 lines and checksum, however escaped) of a private key block.</summary>
    public static PgpProtection Classify(ReadOnlySpan<char> armoured)
    {
        var packets = PemBody.DecodeArmoured(armoured);
        return packets is null ? PgpProtection.NotSecretKey : Classify(packets);
    }

    public static PgpProtection Classify(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || (data[0] & 0x80) == 0)
        {
            return PgpProtection.NotSecretKey;
        }

        int tag;
        int offset;
        if ((data[0] & 0x40) != 0)
        {
            tag = data[0] & 0x3f;
            offset = data[1] switch
            {
                < 192 => 2,
                < 224 => 3,
                255 => 6,
                _ => -1,
            };
        }
        else
        {
            tag = (data[0] >> 2) & 0x0f;
            offset = (data[0] & 3) switch
            {
                0 => 2,
                1 => 3,
                2 => 5,
                _ => 1,
            };
        }

        if (tag != SecretKeyTag)
        {
            return PgpProtection.NotSecretKey;
        }

        if (offset < 0 || offset >= data.Length)
        {
            return PgpProtection.Unknown;
        }

        var usage = UsageOctet(data[offset..]);
        return usage switch
        {
            null => PgpProtection.Unknown,
            0 => PgpProtection.Unprotected,
            _ => PgpProtection.Protected,
        };
    }

    /// <summary>The S2K usage octet of a Secret-Key packet body, or null when the body ends first.</summary>
    private static byte? UsageOctet(ReadOnlySpan<byte> body)
    {
        if (body.Length < 6)
        {
            return null;
        }

        var version = body[0];
        var algorithm = body[5];
        var at = 6;
        if (version is 5 or 6)
        {
            // These versions give the length of the public key material: no need to know the algorithm.
            if (body.Length < at + 4)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(body[at..]);
            if (length > (uint)body.Length)
            {
                return null;
            }

            at += 4 + (int)length;
        }
        else if (version == 4)
        {
            at = algorithm switch
            {
                1 or 2 or 3 => Mpis(body, at, 2),
                16 or 20 => Mpis(body, at, 3),
                17 => Mpis(body, at, 4),
                19 or 22 => Mpis(body, Oid(body, at), 1),
                18 => Kdf(body, Mpis(body, Oid(body, at), 1)),
                25 or 27 => Fixed(body, at, 32),
                26 => Fixed(body, at, 56),
                28 => Fixed(body, at, 57),
                _ => -1,
            };
        }
        else
        {
            return null;
        }

        return at >= 0 && at < body.Length ? body[at] : null;
    }

    private static int Mpis(ReadOnlySpan<byte> body, int at, int count)
    {
        for (var i = 0; i < count && at >= 0; i++)
        {
            if (at + 2 > body.Length)
            {
                return -1;
            }

            var bits = BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
            at = Fixed(body, at + 2, (bits + 7) / 8);
        }

        return at;
    }

    private static int Oid(ReadOnlySpan<byte> body, int at) =>
        at < body.Length && body[at] is not (0 or 0xff) ? Fixed(body, at + 1, body[at]) : -1;

    private static int Kdf(ReadOnlySpan<byte> body, int at) =>
        at >= 0 && at < body.Length ? Fixed(body, at + 1, body[at]) : -1;

    private static int Fixed(ReadOnlySpan<byte> body, int at, int length) =>
        at >= 0 && at + length <= body.Length ? at + length : -1;
}
