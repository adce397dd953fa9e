namespace Strata.Secrets;

/// <summary>
/// A file <see cref="SecretScanner.ReadAsync"/> has read: either its result already (a binary file, an allowed path, a
/// file too large for one chunk, scanned as it streamed), or its content in a pooled buffer, scanned by <see cref="Run"/>
/// on whatever thread calls it. Run it exactly once: it returns the buffer to the pool.
/// </summary>
public sealed class PendingSecretScan
{
    private readonly SecretScanner? scanner;
    private readonly string? displayPath;
    private readonly object? context;
    private readonly SecretScanner.Fill fill;
    private byte[]? buffer;
    private SecretFileResult? result;

    internal PendingSecretScan(SecretFileResult result) => this.result = result;

    internal PendingSecretScan(SecretScanner scanner, byte[] buffer, SecretScanner.Fill fill, string displayPath, object? context)
    {
        this.scanner = scanner;
        this.buffer = buffer;
        this.fill = fill;
        this.displayPath = displayPath;
        this.context = context;
    }

    /// <summary>True when the result is known without scanning (nothing is left for <see cref="Run"/> to do).</summary>
    public bool IsComplete => result is not null;

    /// <summary>The file's result, scanning its buffered content the first time.</summary>
    public SecretFileResult Run()
    {
        if (result is null)
        {
            var content = buffer ?? throw new InvalidOperationException("the scan is already running.");
            buffer = null;
            result = scanner!.ScanWhole(content, fill, displayPath!, context);
        }

        return result;
    }
}
