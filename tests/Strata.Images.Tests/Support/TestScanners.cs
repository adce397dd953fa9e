namespace Strata.Images.Tests.Support;

using Strata.Images.Dockerfile;
using Strata.Testing;

/// <summary>Scanners the tests share, built with the built-in secret rules.</summary>
internal static class TestScanners
{
    public static DockerfileScanner Dockerfile { get; } = new(BuiltInSecrets.Provider);
}
