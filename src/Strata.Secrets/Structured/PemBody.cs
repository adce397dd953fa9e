namespace Strata.Secrets.Structured;

using System.Globalization;
using System.Text;

/// <summary>
/// The base64 body of a PEM block however it is written: on lines of a file, indented in a YAML block scalar, folded
/// into one line, or inside a JSON or quoted YAML string with escaped line breaks (<c>\n</c>, <c>\r\n</c>) and
/// slashes (<c>\/</c>, <c>\u002F</c>).
/// </summary>
internal static class PemBody
{
    /// <summary>Body characters read at most: larger than any key a regex window holds.</summary>
    private const int MaxChars = 64 * 1024;

    /// <summary>
    /// A body too short to be a key and whose DER says it is longer is a truncated example, not a key. Longer bodies
    /// that do not add up are kept: hand-made test keys rarely get the length right, and they are what leaks.
    /// </summary>
    private const int MinTruncatedBytes = 256;

    /// <summary>The text with the escapes of a JSON or double-quoted YAML string undone (only those a key body uses).</summary>
    public static string Unescape(ReadOnlySpan<char> text)
    {
        if (!text.Contains('\\'))
        {
            return text.ToString();
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 == text.Length)
            {
                result.Append(c);
                continue;
            }

            var next = text[++i];
            switch (next)
            {
                case 'n':
                    result.Append('\n');
                    break;
                case 'r':
                    result.Append('\r');
                    break;
                case 't':
                    result.Append('\t');
                    break;
                case '\r' or '\n':
                    // A YAML line continuation: the line break is not part of the value.
                    break;
                case 'u' when i + 4 < text.Length && ushort.TryParse(text.Slice(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    // JSON writers that escape '+' and '/' (System.Text.Json's default encoder does).
                    result.Append((char)code);
                    i += 4;
                    break;
                default:
                    result.Append(next);
                    break;
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// The bytes a body decodes to: escapes undone, whitespace and armour lines (<c>-----BEGIN …-----</c>) dropped,
    /// missing padding tolerated; null when it is not base64.
    /// </summary>
    public static byte[]? Decode(ReadOnlySpan<char> body)
    {
        if (body.Length > MaxChars)
        {
            return null;
        }

        var text = Unescape(body);
        var compact = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (c == '-' && text.AsSpan(i).StartsWith("-----", StringComparison.Ordinal))
            {
                var close = text.IndexOf("-----", i + 5, StringComparison.Ordinal);
                if (close < 0)
                {
                    return null;
                }

                i = close + 4;
                continue;
            }

            if (!IsBase64Char(c))
            {
                return null;
            }

            compact.Append(c);
        }

        return DecodeBase64(compact.ToString());
    }

    /// <summary>
    /// The bytes of an armoured body with header lines (<c>Version: …</c>, <c>Comment: …</c>) and a PGP checksum
    /// line (<c>=XXXX</c>) dropped, however escaped; null when the rest is not base64.
    /// </summary>
    public static byte[]? DecodeArmoured(ReadOnlySpan<char> armoured)
    {
        if (armoured.Length > MaxChars)
        {
            return null;
        }

        var base64 = new StringBuilder(armoured.Length);
        foreach (var raw in Unescape(armoured).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.Contains(':', StringComparison.Ordinal) || (line.Length == 5 && line[0] == '='))
            {
                continue;
            }

            foreach (var c in line)
            {
                if (!IsBase64Char(c))
                {
                    return null;
                }
            }

            base64.Append(line);
        }

        return DecodeBase64(base64.ToString());
    }

    /// <summary>
    /// True when <paramref name="der"/> starts as a DER SEQUENCE whose length is well formed and covered by the data
    /// (or the data is long enough to be a key that was only written by hand).
    /// </summary>
    public static bool IsDerSequence(ReadOnlySpan<byte> der)
    {
        if (der.Length < 2 || der[0] != 0x30)
        {
            return false;
        }

        int header;
        long length;
        if (der[1] < 0x80)
        {
            header = 2;
            length = der[1];
        }
        else
        {
            var octets = der[1] & 0x7f;
            if (octets is 0 or > 3 || der.Length < 2 + octets)
            {
                return false;
            }

            header = 2 + octets;
            length = 0;
            for (var i = 0; i < octets; i++)
            {
                length = (length << 8) | der[2 + i];
            }

            if (length < 0x80)
            {
                return false;
            }
        }

        return length > 0 && (header + length <= der.Length || der.Length >= MinTruncatedBytes);
    }

    /// <summary>Standard base64, padding optional; null when it is not.</summary>
    public static byte[]? DecodeBase64(string compact)
    {
        var text = compact.TrimEnd('=');
        switch (text.Length % 4)
        {
            case 1:
                // A stray last character: hand-made bodies are often cut anywhere.
                text = text[..^1];
                break;
            case 2:
                text += "==";
                break;
            case 3:
                text += "=";
                break;
        }

        if (text.Length == 0)
        {
            return null;
        }

        var buffer = new byte[text.Length / 4 * 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    private static bool IsBase64Char(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '=';
}
