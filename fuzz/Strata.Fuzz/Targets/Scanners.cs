namespace Strata.Fuzz.Targets;

using Strata.Core.Scanning;

/// <summary>What the scanner targets share.</summary>
internal static class Scanners
{
    /// <summary>The context of a plain <c>strata scan</c>: no secret configuration, no logging.</summary>
    public static ScanContext Context { get; } = new();

    /// <summary>The built-in secret rules, built once for the whole fuzzing process.</summary>
    public static Strata.Secrets.SecretScannerProvider Secrets { get; } = new();
}
