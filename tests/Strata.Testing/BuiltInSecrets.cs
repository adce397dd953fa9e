namespace Strata.Testing;

using Strata.Secrets;

/// <summary>
/// One secret scanner of the built-in rules, shared by the tests. Production code has no such default: each run builds
/// its own from its configuration and the registry hands it to the scanners.
/// </summary>
public static class BuiltInSecrets
{
    public static SecretScannerProvider Provider { get; } = new();

    public static SecretScanner Scanner => Provider.Scanner;
}
