namespace Strata.Oci;

using System.Security.Cryptography;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>
/// An OCI content digest, <c>algorithm:hex</c>. Only sha256 and sha512 are accepted; the hex part must
/// have the algorithm's exact length, so a digest can never name a path outside a blob store.
/// </summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    public string Hex { get; }

    public static Digest Parse(string text, string context)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var digest)
            ? digest
            : throw StrataException.BadInput($"{context}: '{Shorten(text)}' is not a valid digest (expected sha256:<64 hex> or sha512:<128 hex>).");
    }

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var expected = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => -1,
        };
        if (expected < 0 || hex.Length != expected || !hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            return false;
        }

        digest = new Digest(algorithm, hex);
        return true;
    }

    public static Digest Sha256Of(ReadOnlySpan<byte> data) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(data)));

    /// <summary>A hasher for this digest's algorithm.</summary>
    public IncrementalHash CreateHasher() => IncrementalHash.CreateHash(Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);

    /// <summary>Whether <paramref name="data"/> hashes to this digest.</summary>
    public bool Matches(ReadOnlySpan<byte> data)
    {
        using var hasher = CreateHasher();
        hasher.AppendData(data);
        return string.Equals(Convert.ToHexStringLower(hasher.GetHashAndReset()), Hex, StringComparison.Ordinal);
    }

    /// <summary>e.g. <c>sha256:0123456789ab</c>, for messages.</summary>
    public string Abbreviated => $"{Algorithm}:{Hex[..12]}";

    public override string ToString() => $"{Algorithm}:{Hex}";

    private static string Shorten(string text) => Redaction.Quote(text, 80);
}
