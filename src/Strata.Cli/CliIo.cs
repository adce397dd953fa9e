namespace Strata.Cli;

/// <summary>Where the CLI writes: results to <see cref="Out"/>, logs and progress to <see cref="Error"/>.</summary>
/// <param name="ErrorIsRedirected">When false, stderr is a terminal and progress may be drawn on it.</param>
public sealed record CliIo(Stream Out, TextWriter Error, bool ErrorIsRedirected = true)
{
    /// <summary>Root for host facts; "/" except in tests.</summary>
    public string HostRoot { get; init; } = "/";

    /// <summary>Where relative defaults such as .strataignore are looked up.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Today, for ignore-entry expiry; tests fix it.</summary>
    public DateOnly? Today { get; init; }
}
