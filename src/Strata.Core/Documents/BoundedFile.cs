namespace Strata.Core.Documents;

/// <summary>
/// The one way Strata reads a whole input: only from a regular file (a FIFO or a device is refused before it can block
/// the open), and never more than a bound, counted as the bytes arrive, because a pipe, <c>/dev/stdin</c> or
/// <c>/dev/zero</c> reports a length of 0.
/// </summary>
public static class BoundedFile
{
    /// <summary>The one non-regular file a document may be, when its reader allows it.</summary>
    public const string StandardInput = "/dev/stdin";

    private const int FirstChunk = 64 * 1024;

    private static readonly Lock StandardInputLock = new();
    private static byte[]? standardInput;

    /// <summary>The key of <see cref="Limits.MaxDocumentBytes"/>, named when a document is refused.</summary>
    public const string DocumentBytesKey = "document-bytes";

    /// <param name="maxBytes">The bound (default <see cref="Limits.MaxDocumentBytes"/> of <see cref="Limits.Default"/>).</param>
    /// <param name="what">What the file is, for messages, e.g. "a document" or "an ignore file".</param>
    /// <param name="allowStandardInput">Read <see cref="StandardInput"/> even when it is a pipe or a terminal (documents only).</param>
    /// <param name="limitKey">The <c>--limits</c> key that raises the bound, named in the refusal (default: document-bytes when <paramref name="maxBytes"/> is not given).</param>
    public static byte[] ReadAllBytes(string path, long? maxBytes = null, string what = "a document", bool allowStandardInput = false, string? limitKey = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            if (allowStandardInput && path == StandardInput)
            {
                return ReadStandardInput(maxBytes ?? Limits.Default.MaxDocumentBytes, what, maxBytes is null ? DocumentBytesKey : limitKey);
            }

            using var stream = FileNodes.OpenRegular(path);
            return ReadAll(stream, maxBytes ?? Limits.Default.MaxDocumentBytes, path, what, maxBytes is null ? DocumentBytesKey : limitKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.Usage($"{path}: cannot read: {e.Message}");
        }
    }

    /// <summary>
    /// Standard input, read once per process and kept: a pipe can be read only once, and several scanners read the same
    /// target (<c>k8s:/dev/stdin</c> goes to the Pod Security Standards scanner and the object scanner).
    /// </summary>
    private static byte[] ReadStandardInput(long maxBytes, string what, string? limitKey)
    {
        lock (StandardInputLock)
        {
            if (standardInput is null)
            {
                using var stream = Console.OpenStandardInput();
                standardInput = ReadAll(stream, maxBytes, StandardInput, what, limitKey);
            }
            else if (standardInput.Length > maxBytes)
            {
                throw StrataException.BadInput($"{StandardInput}: more than the {maxBytes} bytes allowed for {what}.");
            }

            return standardInput;
        }
    }

    /// <inheritdoc cref="ReadAllBytes"/>
    public static string ReadAllText(string path, long? maxBytes = null, string what = "a document", bool allowStandardInput = false, string? limitKey = null) =>
        new System.Text.UTF8Encoding(false).GetString(ReadAllBytes(path, maxBytes, what, allowStandardInput, limitKey)).TrimStart('\uFEFF');

    /// <summary>Reads what is left of <paramref name="stream"/>, failing as soon as it passes <paramref name="maxBytes"/>.</summary>
    /// <param name="label">Names the input in messages.</param>
    /// <param name="limitKey">The <c>--limits</c> key that raises <paramref name="maxBytes"/>, named in the refusal.</param>
    public static byte[] ReadAll(Stream stream, long maxBytes, string label, string what, string? limitKey = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new Accumulator(stream, maxBytes, label, what, limitKey);
        int n;
        while ((n = stream.Read(buffer.Free)) > 0)
        {
            buffer.Advance(n);
        }

        return buffer.ToArray();
    }

    /// <inheritdoc cref="ReadAll"/>
    public static async Task<byte[]> ReadAllAsync(Stream stream, long maxBytes, string label, string what, CancellationToken cancellationToken, string? limitKey = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new Accumulator(stream, maxBytes, label, what, limitKey);
        int n;
        while ((n = await stream.ReadAsync(buffer.FreeMemory, cancellationToken)) > 0)
        {
            buffer.Advance(n);
        }

        return buffer.ToArray();
    }

    /// <summary>A buffer that grows as bytes arrive and refuses the first byte past the bound.</summary>
    private sealed class Accumulator
    {
        private readonly long maxBytes;
        private readonly string label;
        private readonly string what;
        private readonly string? limitKey;
        private byte[] bytes;
        private int count;

        public Accumulator(Stream stream, long maxBytes, string label, string what, string? limitKey)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength - 1L);
            this.maxBytes = maxBytes;
            this.label = label;
            this.what = what;
            this.limitKey = limitKey;

            // A seekable stream's length is only a hint (the file may grow), but it fails the obvious case early.
            var known = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : -1;
            if (known > maxBytes)
            {
                throw Refused($"{known} bytes is more than the {maxBytes} bytes allowed for {what}");
            }

            // One byte more than expected, so the end is seen without growing.
            bytes = new byte[known >= 0 ? known + 1 : Math.Min(FirstChunk, maxBytes + 1)];
        }

        public Span<byte> Free => Grow().AsSpan(count);

        public Memory<byte> FreeMemory => Grow().AsMemory(count);

        public void Advance(int n)
        {
            count += n;
            if (count > maxBytes)
            {
                throw Refused($"more than the {maxBytes} bytes allowed for {what}");
            }
        }

        private StrataException Refused(string message) =>
            limitKey is null ? StrataException.BadInput($"{label}: {message}.") : Limits.Exceeded(label, message, limitKey);

        public byte[] ToArray() => count == bytes.Length ? bytes : bytes[..count];

        private byte[] Grow()
        {
            if (count == bytes.Length)
            {
                // Room for one byte past the bound, so reading it is what detects an input that is too large.
                Array.Resize(ref bytes, (int)Math.Min(Math.Max(bytes.Length * 2L, FirstChunk), maxBytes + 1));
            }

            return bytes;
        }
    }
}
