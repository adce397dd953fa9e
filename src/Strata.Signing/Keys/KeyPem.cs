namespace Strata.Signing.Keys;

using System.Security.Cryptography;
using System.Text;
using Strata.Core;

/// <summary>PEM blocks of key files (RFC 7468 textual encoding), read and written as Go's encoding/pem does.</summary>
internal static class KeyPem
{
    internal readonly record struct Block(string Label, byte[] Data);

    /// <summary>The first PEM block in <paramref name="pem"/>.</summary>
    public static Block First(ReadOnlySpan<byte> pem, string source, string what)
    {
        var text = Encoding.UTF8.GetString(pem);
        if (!PemEncoding.TryFind(text, out var fields))
        {
            throw StrataException.BadInput($"{what} {source}: no PEM block found.");
        }

        var label = text[fields.Label];
        var data = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(text.AsSpan(fields.Base64Data), data, out var written))
        {
            throw StrataException.BadInput($"{what} {source}: the PEM block \"{label}\" is not valid base64.");
        }

        return new Block(label, data[..written]);
    }

    /// <summary>A PEM block with 64-character lines and a final newline, as Go's pem.EncodeToMemory writes it.</summary>
    public static string Encode(string label, ReadOnlySpan<byte> data) => new string(PemEncoding.Write(label, data)) + "\n";
}
