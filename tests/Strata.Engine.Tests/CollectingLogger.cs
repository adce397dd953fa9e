namespace Strata.Engine.Tests;

using Microsoft.Extensions.Logging;

/// <summary>A logger that keeps every message, so tests can read what <c>--debug</c> would print.</summary>
internal sealed class CollectingLogger : ILogger
{
    private readonly List<string> messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (messages)
            {
                return [.. messages];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (messages)
        {
            messages.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
