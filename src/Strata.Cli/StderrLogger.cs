namespace Strata.Cli;

using Microsoft.Extensions.Logging;

/// <summary>Writes log lines ("warning: …") to the CLI's stderr writer.</summary>
internal sealed class StderrLoggerProvider : ILoggerProvider
{
    private readonly TextWriter writer;
    private readonly LogLevel minimum;

    public StderrLoggerProvider(TextWriter writer, LogLevel minimum)
    {
        this.writer = writer;
        this.minimum = minimum;
    }

    public ILogger CreateLogger(string categoryName) => new StderrLogger(writer, minimum);

    public void Dispose()
    {
    }

    private sealed class StderrLogger(TextWriter writer, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var label = logLevel switch
            {
                LogLevel.Trace or LogLevel.Debug => "debug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warning",
                _ => "error",
            };
            lock (writer)
            {
                writer.WriteLine($"{label}: {StrataCli.Safe(formatter(state, exception))}");
                if (exception is not null)
                {
                    writer.WriteLine(StrataCli.Safe(exception.ToString()));
                }
            }
        }
    }
}
