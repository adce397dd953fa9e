namespace Strata.Secrets.Structured;

using System.Buffers.Binary;
using System.Text;

/// <summary>
/// The ssh.com (SECSH) private key format that PuTTYgen exports and Tectia uses: <c>---- BEGIN SSH2 ENCRYPTED
/// PRIVATE KEY ----</c> whatever the protection. Its blob starts with the magic 0x3f6ff9eb, a length, the key type
/// and the cipher name (<c>none</c> when in clear).
/// </summary>
internal static class Ssh2PrivateKey
{
    private const uint Magic = 0x3f6ff9eb;

    /// <summary>The cipher name of the armoured body, or null when it is not such a key.</summary>
    public static string? Cipher(ReadOnlySpan<char> armoured)
    {
        var blob = PemBody.DecodeArmoured(armoured);
        if (blob is null || blob.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(blob) != Magic)
        {
            return null;
        }

        var at = 8;
        var typeLength = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(at));
        at += 4;
        if (typeLength is 0 or > 256 || at + typeLength + 4 > blob.Length)
        {
            return null;
        }

        at += (int)typeLength;
        var cipherLength = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(at));
        at += 4;
        return cipherLength is 0 or > 64 || at + cipherLength > blob.Length ? null : Encoding.ASCII.GetString(blob, at, (int)cipherLength);
    }
}
