namespace Strata.Encryption.KeyWrap;

using System.Buffers.Text;
using Strata.Core;

/// <summary>JOSE's unpadded base64url, strict on input.</summary>
internal static class JoseBase64
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    public static byte[] Decode(string text, string context)
    {
        if (text.Contains('=', StringComparison.Ordinal) || !Base64Url.IsValid(text))
        {
            throw StrataException.BadInput($"{context} is not unpadded base64url");
        }

        return Base64Url.DecodeFromChars(text);
    }
}
