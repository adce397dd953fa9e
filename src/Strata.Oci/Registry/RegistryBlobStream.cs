namespace Strata.Oci.Registry;

using System.Diagnostics;
using System.Net;
using Strata.Core;

/// <summary>
/// A blob's response body as it arrives. It owns the HTTP response; a read that waits longer than the timeout,
/// a body arriving slower than <see cref="RegistryOptions.MinBlobBytesPerSecond"/>, a dropped connection or a body
/// that ends short is resumed where it stopped (a Range request; a registry that ignores Range sends the whole blob
/// again and what was already read is skipped), within the attempts the retry policy allows. It does not verify:
/// the reader's <see cref="VerifyingStream"/> does, so resumed bytes from a wrong blob are never accepted.
/// A failure is final: later reads throw it again instead of trying anew.
/// </summary>
internal sealed class RegistryBlobStream : ReadOnlyStream
{
    private readonly Resume resume;
    private readonly RegistryRetryPolicy retry;
    private readonly TimeSpan stallTimeout;
    private readonly long minBytesPerSecond;
    private readonly long? size;
    private readonly string what;
    private HttpResponseMessage response;
    private Stream body;
    private int attempts;
    private long position;
    private long skip;
    private long connectionBytes;
    private long connectionStarted;
    private StrataException? failure;

    /// <param name="size">The blob's full size when known (descriptor or Content-Length), to tell a body that ends short.</param>
    /// <param name="attempts">Attempts already spent opening it.</param>
    /// <param name="resume">Sends one attempt for the blob from a byte offset.</param>
    public RegistryBlobStream(HttpResponseMessage response, Stream body, long? size, int attempts, Resume resume, RegistryRetryPolicy retry, RegistryOptions options, string what)
    {
        this.response = response;
        this.body = body;
        this.size = size;
        this.attempts = attempts;
        this.resume = resume;
        this.retry = retry;
        stallTimeout = options.Timeout;
        minBytesPerSecond = options.MinBlobBytesPerSecond;
        this.what = what;
        connectionStarted = Stopwatch.GetTimestamp();
    }

    /// <summary>Sends attempt number <paramref name="attempt"/> for the blob from byte <paramref name="offset"/>.</summary>
    public delegate Task<HttpResponseMessage> Resume(long offset, int attempt, CancellationToken cancellationToken);

    public override long Position => position;

    /// <summary>
    /// Synchronous reads are bounded by the timeout (the connection is aborted under a stalled read) but not
    /// resumed: resuming needs asynchronous requests. The layer pipeline reads asynchronously.
    /// </summary>
    public override int Read(Span<byte> buffer)
    {
        if (failure is not null)
        {
            throw failure;
        }

        using var timer = new CancellationTokenSource(stallTimeout);
        using var registration = timer.Token.Register(response.Dispose);
        try
        {
            while (skip > 0)
            {
                var skipped = body.Read(new byte[(int)Math.Min(skip, 81920)]);
                if (skipped == 0)
                {
                    throw Fail($"the body ended after {position} bytes");
                }

                skip -= skipped;
            }

            var read = body.Read(buffer);
            if (read == 0 && buffer.Length > 0 && size is long expected && position < expected)
            {
                throw Fail($"the body ended after {position} of {expected} bytes");
            }

            position += read;
            return read;
        }
        catch (Exception e) when (timer.IsCancellationRequested && e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            throw Fail($"no data for {RegistryRetryPolicy.Seconds(stallTimeout)} after {position} bytes");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Fail($"connection lost after {position} bytes: {RegistryErrorBody.Echo(e.Message)}", e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (failure is not null)
        {
            throw failure;
        }

        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            TransientRegistryFailure problem;
            try
            {
                var read = await ReadConnectionAsync(buffer, cancellationToken);
                if (read > 0)
                {
                    position += read;
                    return read;
                }

                if (size is not long expected || position >= expected)
                {
                    return 0;
                }

                problem = new TransientRegistryFailure($"the body ended after {position} of {expected} bytes");
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                problem = new TransientRegistryFailure($"no data for {RegistryRetryPolicy.Seconds(stallTimeout)} after {position} bytes", null, e);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                problem = new TransientRegistryFailure($"connection lost after {position} bytes: {RegistryErrorBody.Echo(e.Message)}", null, e);
            }
            catch (TransientRegistryFailure slow)
            {
                problem = slow;
            }

            await ResumeAsync(problem, cancellationToken);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            body.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The next bytes of this connection, past any bytes to skip; each read bounded by the stall timeout and the minimum rate.</summary>
    private async Task<int> ReadConnectionAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (skip > 0)
        {
            var scratch = new byte[(int)Math.Min(skip, 81920)];
            var skipped = await ReadOnceAsync(scratch, cancellationToken);
            if (skipped == 0)
            {
                return 0;
            }

            skip -= skipped;
        }

        return await ReadOnceAsync(buffer, cancellationToken);
    }

    private async Task<int> ReadOnceAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(stallTimeout);
        var read = await body.ReadAsync(buffer, timer.Token);
        connectionBytes += read;

        // A trickle that never quite stalls would otherwise hold the scan for as long as the registry likes.
        var elapsed = Stopwatch.GetElapsedTime(connectionStarted);
        if (read > 0 && minBytesPerSecond > 0 && elapsed > stallTimeout && connectionBytes < (elapsed - stallTimeout).TotalSeconds * minBytesPerSecond)
        {
            throw new TransientRegistryFailure($"the body arrives slower than {minBytesPerSecond} bytes/s ({connectionBytes} bytes in {RegistryRetryPolicy.Seconds(elapsed)}) after {position} bytes");
        }

        return read;
    }

    /// <summary>Drops the connection and asks again from <see cref="position"/>, until a body comes or the attempts are spent.</summary>
    private async Task ResumeAsync(TransientRegistryFailure problem, CancellationToken cancellationToken)
    {
        while (true)
        {
            body.Dispose();
            response.Dispose();
            HttpResponseMessage next;
            try
            {
                await retry.WaitBeforeRetryAsync(what, problem, attempts, cancellationToken);
                attempts++;
                next = await resume(position, attempts, cancellationToken);
            }
            catch (TransientRegistryFailure again)
            {
                problem = again;
                continue;
            }
            catch (StrataException e)
            {
                failure = e;
                throw;
            }

            // 206 from the byte asked for (or before it); 200 is the whole blob again.
            long from = 0;
            if (next.StatusCode == HttpStatusCode.PartialContent)
            {
                from = next.Content.Headers.ContentRange?.From ?? long.MaxValue;
                if (from > position)
                {
                    next.Dispose();
                    problem = new TransientRegistryFailure($"asked to resume at byte {position}, the registry sent a range from {(from == long.MaxValue ? "an unstated byte" : from)}");
                    continue;
                }
            }

            response = next;
            body = await next.Content.ReadAsStreamAsync(cancellationToken);
            skip = position - from;
            connectionBytes = 0;
            connectionStarted = Stopwatch.GetTimestamp();
            return;
        }
    }

    private StrataException Fail(string reason, Exception? inner = null)
    {
        failure = StrataException.BadInput($"{what}: {reason}.", inner);
        return failure;
    }
}
