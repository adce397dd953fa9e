namespace Strata.Oci.Registry;

using Strata.Core;

/// <summary>
/// A blob's response body as it arrives: it owns the HTTP response, and turns a read that waits longer than the
/// timeout, or a dropped connection, into an error naming the blob, so a stalled registry cannot hang a scan.
/// </summary>
internal sealed class RegistryBlobStream : ReadOnlyStream
{
    private readonly HttpResponseMessage response;
    private readonly Stream inner;
    private readonly TimeSpan timeout;
    private readonly string what;
    private long position;

    public RegistryBlobStream(HttpResponseMessage response, Stream inner, TimeSpan timeout, string what)
    {
        this.response = response;
        this.inner = inner;
        this.timeout = timeout;
        this.what = what;
    }

    public override long Position => position;

    public override int Read(Span<byte> buffer)
    {
        // A synchronous read cannot be cancelled: abort the connection under it instead.
        using var timer = new CancellationTokenSource(timeout);
        using var registration = timer.Token.Register(response.Dispose);
        try
        {
            return Count(inner.Read(buffer));
        }
        catch (Exception e) when (timer.IsCancellationRequested && e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            throw TimedOut();
        }
        catch (IOException e)
        {
            throw ConnectionLost(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            return Count(await inner.ReadAsync(buffer, timer.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
        catch (IOException e)
        {
            throw ConnectionLost(e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        position += read;
        return read;
    }

    private StrataException TimedOut() =>
        StrataException.BadInput($"{what}: no data for {timeout.TotalSeconds:0.#} s after {position} bytes; gave up.");

    private StrataException ConnectionLost(IOException e) =>
        StrataException.BadInput($"{what}: connection lost after {position} bytes: {e.Message}", e);
}
