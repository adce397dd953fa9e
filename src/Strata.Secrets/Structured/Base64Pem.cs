namespace Strata.Secrets.Structured;

using System.Text;

/// <summary>A PEM block written base64-encoded (Kubernetes Secret data, kubeconfig <c>*-data</c>, environment variables).</summary>
/// <param name="Start">Offset of the first base64 character in the buffer.</param>
/// <param name="End">Offset after the last one.</param>
/// <param name="Pem">The decoded PEM text.</param>
internal readonly record struct Base64Pem(int Start, int End, string Pem)
{
    /// <summary>Base64 characters read at most for one block: more than a 16384-bit RSA key needs.</summary>
    private const int MaxChars = 48 * 1024;

    /// <summary>A base64 line this long or longer may continue on the next line (base64 wraps at 64 or 76).</summary>
    private const int MinWrappedLine = 60;

    /// <summary><c>-----BEGIN</c> in base64, as it is when the PEM text is the whole encoded value.</summary>
    private static ReadOnlySpan<byte> Marker => "LS0tLS1CRUdJT"u8;

    private static ReadOnlySpan<byte> DecodedMarker => "-----BEGIN "u8;

    /// <summary>A cheap test: the buffer holds the base64 form of a PEM header somewhere.</summary>
    public static bool MayHold(ReadOnlySpan<byte> buffer) => buffer.IndexOf(Marker) >= 0;

    /// <summary>The base64 PEM blocks that start in <c>buffer[..owned]</c>.</summary>
    public static List<Base64Pem> Find(ReadOnlySpan<byte> buffer, int owned)
    {
        var found = new List<Base64Pem>();
        var from = 0;
        while (from < owned)
        {
            var hit = buffer[from..].IndexOf(Marker);
            if (hit < 0 || from + hit >= owned)
            {
                break;
            }

            var start = from + hit;
            from = start + Marker.Length;
            if (start > 0 && IsBase64(buffer[start - 1]) && buffer[start - 1] != '=')
            {
                continue;
            }

            var (end, compact) = Extent(buffer, start);
            from = Math.Max(from, end);
            var decoded = PemBody.DecodeBase64(compact);
            if (decoded is not null && decoded.AsSpan().StartsWith(DecodedMarker))
            {
                found.Add(new Base64Pem(start, end, Encoding.Latin1.GetString(decoded)));
            }
        }

        return found;
    }

    /// <summary>Where the base64 run that starts at <paramref name="start"/> ends, and its characters without line breaks.</summary>
    private static (int End, string Compact) Extent(ReadOnlySpan<byte> buffer, int start)
    {
        var compact = new StringBuilder();
        var at = start;
        var end = start;
        while (at < buffer.Length && compact.Length < MaxChars)
        {
            var lineStart = at;
            while (at < buffer.Length && IsBase64(buffer[at]) && compact.Length < MaxChars)
            {
                compact.Append((char)buffer[at++]);
            }

            end = at;
            if (at - lineStart < MinWrappedLine || buffer[lineStart..at].Contains((byte)'='))
            {
                break;
            }

            // Line-wrapped base64 (the output of base64 without -w0, a YAML block scalar): go on past the break and indentation.
            var next = at;
            if (next < buffer.Length && buffer[next] == '\r')
            {
                next++;
            }

            if (next >= buffer.Length || buffer[next] != '\n')
            {
                break;
            }

            next++;
            while (next < buffer.Length && buffer[next] is (byte)' ' or (byte)'\t')
            {
                next++;
            }

            var lineEnd = next;
            while (lineEnd < buffer.Length && IsBase64(buffer[lineEnd]))
            {
                lineEnd++;
            }

            // Only a line of nothing but base64 continues the block; `next.key: value` does not.
            if (lineEnd == next || (lineEnd < buffer.Length && buffer[lineEnd] is not ((byte)'\r' or (byte)'\n' or (byte)'"' or (byte)'\'')))
            {
                break;
            }

            at = next;
        }

        return (end, compact.ToString());
    }

    private static bool IsBase64(byte b) => b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'/' or (byte)'=';
}
