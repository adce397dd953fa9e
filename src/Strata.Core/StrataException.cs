namespace Strata.Core;

/// <summary>
/// A failure with a message fit for the user: it names the file, digest, line or JSON path at fault.
/// </summary>
public class StrataException : Exception
{
    public StrataException(string message, ExitCode exitCode = ExitCode.Error, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public StrataException()
        : this("Strata failed.")
    {
    }

    public StrataException(string message)
        : this(message, ExitCode.Error)
    {
    }

    public StrataException(string message, Exception innerException)
        : this(message, ExitCode.Error, innerException)
    {
    }

    public ExitCode ExitCode { get; }

    /// <summary>The user asked for something that cannot be (unknown target, missing file, bad option).</summary>
    public static StrataException Usage(string message) => new(message, ExitCode.Usage);

    /// <summary>The input exists but is malformed or hostile.</summary>
    public static StrataException BadInput(string message, Exception? inner = null) => new(message, ExitCode.Error, inner);
}

/// <summary>Process exit codes; never negative.</summary>
public enum ExitCode
{
    /// <summary>Nothing at or above --fail-on remains.</summary>
    Clean = 0,

    /// <summary>A finding at or above --fail-on remains.</summary>
    Findings = 1,

    /// <summary>The command line or a named input was wrong.</summary>
    Usage = 2,

    /// <summary>Scanning failed.</summary>
    Error = 3,

    /// <summary>Interrupted by SIGINT (Ctrl+C), as a shell reports a process the signal ended: 128 + 2.</summary>
    Interrupted = 130,
}
