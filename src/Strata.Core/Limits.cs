namespace Strata.Core;

/// <summary>Bounds on what Strata parses, so hostile input cannot exhaust memory or time.</summary>
public static class Limits
{
    /// <summary>Largest JSON or YAML document (manifest, profile, config) Strata parses: 16 MiB.</summary>
    public const long MaxDocumentBytes = 16L * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted.</summary>
    public const int MaxJsonDepth = 128;
}
