namespace Strata.Oci.Tests.Registry;

using System.Net.Http.Headers;
using Strata.Core;
using Strata.Oci.Registry;

public sealed class RegistryRetryPolicyTests
{
    private static readonly RegistryOptions Options = new()
    {
        MaxAttempts = 4,
        RetryBaseDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public void Backoff_doubles_with_jitter_and_is_capped()
    {
        var policy = new RegistryRetryPolicy(Options);
        for (var i = 0; i < 200; i++)
        {
            var second = policy.DelayBefore(2, null);
            Assert.InRange(second, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
            var third = policy.DelayBefore(3, null);
            Assert.InRange(third, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
            Assert.True(policy.DelayBefore(20, null) <= Options.MaxRetryDelay);
        }

        // Jitter: not every client waits the same.
        Assert.True(Enumerable.Range(0, 50).Select(_ => policy.DelayBefore(3, null)).Distinct().Count() > 1);
    }

    [Fact]
    public void Retry_after_is_taken_as_asked_in_seconds_or_as_an_http_date()
    {
        var policy = new RegistryRetryPolicy(Options);
        Assert.Equal(TimeSpan.FromMilliseconds(200), policy.DelayBefore(2, TimeSpan.FromMilliseconds(200)));
        Assert.Equal(TimeSpan.Zero, policy.DelayBefore(2, TimeSpan.FromSeconds(-5)));

        var now = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(7), RegistryRetryPolicy.RetryAfterOf(RetryConditionHeaderValue.Parse("7"), now));
        Assert.Equal(TimeSpan.FromSeconds(90), RegistryRetryPolicy.RetryAfterOf(RetryConditionHeaderValue.Parse("Sat, 01 Mar 2025 12:01:30 GMT"), now));
        Assert.Null(RegistryRetryPolicy.RetryAfterOf(null, now));
    }

    [Fact]
    public async Task Attempts_are_bounded_and_a_longer_retry_after_than_the_cap_ends_at_once()
    {
        var policy = new RegistryRetryPolicy(Options);
        var calls = 0;
        var error = await Assert.ThrowsAsync<StrataException>(() => policy.RunAsync<int>("docker://r/x: blob d", _ =>
        {
            calls++;
            throw new TransientRegistryFailure("HTTP 503 Service Unavailable");
        }, CancellationToken.None));
        Assert.Equal(4, calls);
        Assert.Equal(ExitCode.Error, error.ExitCode);
        Assert.Equal("docker://r/x: blob d: HTTP 503 Service Unavailable (after 4 attempts).", error.Message);

        calls = 0;
        error = await Assert.ThrowsAsync<StrataException>(() => policy.RunAsync<int>("docker://r/x: blob d", _ =>
        {
            calls++;
            throw new TransientRegistryFailure("HTTP 429 Too Many Requests", TimeSpan.FromHours(1));
        }, CancellationToken.None));
        Assert.Equal(1, calls);
        Assert.Contains("asks to retry after 3600 s, longer than the 0.3 s Strata waits", error.Message, StringComparison.Ordinal);

        // Anything else is not retried at all.
        calls = 0;
        await Assert.ThrowsAsync<StrataException>(() => policy.RunAsync<int>("x", _ =>
        {
            calls++;
            throw StrataException.BadInput("schema 1");
        }, CancellationToken.None));
        Assert.Equal(1, calls);

        calls = 0;
        Assert.Equal(3, await policy.RunAsync("x", attempt => ++calls < 3 ? throw new TransientRegistryFailure("reset") : Task.FromResult(attempt), CancellationToken.None));
    }
}
