namespace Strata.Oci.Registry;

using System.Globalization;
using System.Net.Http.Headers;
using Strata.Core;

/// <summary>
/// A failure that another attempt may not meet: a lost connection, a timeout, 408/429/5xx, a truncated or corrupt
/// body. <see cref="RetryAfter"/> is the registry's own <c>Retry-After</c>, when it sent one.
/// </summary>
internal sealed class TransientRegistryFailure : Exception
{
    public TransientRegistryFailure(string message, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// How idempotent registry requests are retried: at most <see cref="RegistryOptions.MaxAttempts"/> attempts,
/// exponential backoff with jitter between them, a registry's <c>Retry-After</c> honoured up to
/// <see cref="RegistryOptions.MaxRetryDelay"/> (a longer wait asked for ends the request at once).
/// </summary>
internal sealed class RegistryRetryPolicy
{
    private readonly RegistryOptions options;

    public RegistryRetryPolicy(RegistryOptions options)
    {
        this.options = options;
    }

    public int MaxAttempts => options.MaxAttempts;

    /// <summary>
    /// Runs <paramref name="attempt"/> (given its number, from 1) until it returns, throws anything but a
    /// <see cref="TransientRegistryFailure"/>, or the attempts are spent; the last failure becomes an error naming
    /// <paramref name="context"/> and the number of attempts.
    /// </summary>
    public async Task<T> RunAsync<T>(string context, Func<int, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(number);
            }
            catch (TransientRegistryFailure failure)
            {
                await WaitBeforeRetryAsync(context, failure, number, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Waits before attempt <paramref name="failedAttempt"/> + 1, or throws the final error when that was the last
    /// attempt or the registry asks for a longer wait than the policy allows.
    /// </summary>
    public async Task WaitBeforeRetryAsync(string context, TransientRegistryFailure failure, int failedAttempt, CancellationToken cancellationToken)
    {
        if (failedAttempt >= options.MaxAttempts)
        {
            throw StrataException.BadInput($"{context}: {failure.Message}{Attempts(failedAttempt)}.", failure.InnerException);
        }

        if (failure.RetryAfter is { } asked && asked > options.MaxRetryDelay)
        {
            throw StrataException.BadInput($"{context}: {failure.Message}; the registry asks to retry after {Seconds(asked)}, longer than the {Seconds(options.MaxRetryDelay)} Strata waits{Attempts(failedAttempt)}.", failure.InnerException);
        }

        await Task.Delay(DelayBefore(failedAttempt + 1, failure.RetryAfter), cancellationToken);
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> (2 or more): Retry-After as asked, else backoff with jitter.</summary>
    public TimeSpan DelayBefore(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked <= TimeSpan.Zero ? TimeSpan.Zero : asked < options.MaxRetryDelay ? asked : options.MaxRetryDelay;
        }

        // Half to all of base * 2^(attempt-2): spread out so many clients do not retry in step.
        var backoff = options.RetryBaseDelay * Math.Pow(2, Math.Min(attempt - 2, 16));
        var jittered = backoff * (0.5 + (Random.Shared.NextDouble() / 2));
        return jittered < options.MaxRetryDelay ? jittered : options.MaxRetryDelay;
    }

    /// <summary>A response's Retry-After as a wait from now: delta-seconds, or an HTTP-date measured against the response's own Date.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return RetryAfterOf(response.Headers.RetryAfter, response.Headers.Date ?? DateTimeOffset.UtcNow);
    }

    public static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - now,
        _ => null,
    };

    public static string Attempts(int attempts) => attempts > 1 ? $" (after {attempts} attempts)" : string.Empty;

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
