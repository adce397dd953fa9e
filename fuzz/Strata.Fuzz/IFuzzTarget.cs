namespace Strata.Fuzz;

using Strata.Core;

/// <summary>
/// One fuzz target: a parser of untrusted input, fed raw bytes. It may reject the input with a
/// <see cref="StrataException"/> (the documented answer to bad input); any other exception, a crash of the
/// process or a hang is a defect. A target calls Strata code only from <see cref="RunAsync"/>, never from a
/// constructor or an eagerly initialised field: under AFL the instrumented assemblies may run only inside the
/// fuzz loop, which sets up the coverage map they write to.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name <c>fuzz/run.sh</c> takes and <c>fuzz/corpus/</c> is keyed by, e.g. <c>tar</c>.</summary>
    string Name { get; }

    /// <summary>The code the input reaches, for <c>list</c> and docs/RELIABILITY.md.</summary>
    string Covers { get; }

    ValueTask RunAsync(byte[] input, CancellationToken cancellationToken);
}

/// <summary>What one input did; <paramref name="Message"/> is the rejection's.</summary>
public readonly record struct FuzzResult(FuzzOutcome Outcome, string? Message = null);

/// <summary>Whether an input got through.</summary>
public enum FuzzOutcome
{
    /// <summary>Parsed (and checked) without complaint.</summary>
    Accepted,

    /// <summary>Refused with a <see cref="StrataException"/>: the expected answer to bad input.</summary>
    Rejected,
}
