namespace Strata.Oci.Registry;

/// <summary>
/// A manifest or index as the registry served it. <see cref="Digest"/> has been checked against <see cref="Bytes"/>:
/// it is the digest asked for, else the registry's <c>Docker-Content-Digest</c>, else the bytes' sha256.
/// </summary>
public sealed record RegistryManifest(byte[] Bytes, string? MediaType, Digest Digest);

/// <summary>What a HEAD request tells about a manifest without fetching it.</summary>
public sealed record ManifestHead(string? MediaType, Digest? Digest, long? Size);
