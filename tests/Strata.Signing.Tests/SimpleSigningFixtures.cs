namespace Strata.Signing.Tests;

using Strata.Testing;

/// <summary>The GPG fixtures from containers/image's signature tests, and the facts its tests state about them.</summary>
internal static class SimpleSigningFixtures
{
    public const string TestKeyFingerprint = "08CD26E446E2E95249B7A405E932F44B23E8DD43";
    public const string TestKeyFingerprintWithPassphrase = "F2B501009F78B0B340221A12A3CD242DA6028093";
    public const string TestPassphrase = "WithPassphrase123";
    public const string PrimaryWithSubkey = "B9F4CDB9FD8C475BFA340AC38D54A947EE396F36";
    public const string PrimaryWithRevokedSubkey = "6D88C5A1993648A17B2BB0DC6B8499AF63388D63";
    public const string ImageManifestDigest = "sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55";

    public static string Directory => Path.Combine(RepoPaths.Shared, "fixtures", "containers-image-signatures");

    public static string File(string name) => Path.Combine(Directory, name);

    public static byte[] Read(string name) => System.IO.File.ReadAllBytes(File(name));

    /// <summary>The fixtures that come as V4 and V3 signature packets.</summary>
    public static IEnumerable<string> Variants(string v4Name) => [v4Name, v4Name + "-v3"];
}
