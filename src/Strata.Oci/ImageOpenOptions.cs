namespace Strata.Oci;

using Strata.Core;
using Strata.Oci.Model;
using Strata.Oci.Registry;

/// <summary>
/// How to open and read an image: the platform to pick, read limits, and registry access (credentials, TLS). One type
/// from the command line (<c>--platform</c>, <c>--creds</c>, <c>--authfile</c>, <c>--tls-verify</c>) to the sources;
/// the image scanner is built with it.
/// </summary>
public sealed record ImageOpenOptions
{
    /// <summary>The platform to pick from an index (default linux/amd64, or the only entry).</summary>
    public Platform? Platform { get; init; }

    /// <summary>The bounds on reading an image (<c>--limits</c>): manifest and config sizes, layers, decompression, tar entries.</summary>
    public Limits Limits { get; init; } = Limits.Default;

    /// <summary>Credentials, TLS and timeouts for <c>docker://</c> sources.</summary>
    public RegistryOptions Registry { get; init; } = new();

    /// <summary>Opens encrypted layers (<c>--decryption-key</c>); without one, encrypted layers are left unread.</summary>
    public Layers.ILayerDecryptor? LayerDecryptor { get; init; }

    /// <summary>Layers read at once (default: processor count, at most 4).</summary>
    public int MaxParallelLayers { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    public static ImageOpenOptions Default { get; } = new();

    /// <summary>
    /// The command line's access options over <paramref name="defaults"/>: a malformed platform or credentials is a
    /// usage error (exit 2) that never repeats the credentials.
    /// </summary>
    /// <param name="credentials"><c>USERNAME:PASSWORD</c>, a secret.</param>
    public static ImageOpenOptions FromCommandLine(string? platform, string? credentials, string? authFile, bool tlsVerify, ImageOpenOptions? defaults = null)
    {
        defaults ??= Default;
        return defaults with
        {
            Platform = platform is null ? defaults.Platform : Platform.Parse(platform),
            Registry = defaults.Registry with
            {
                Credentials = credentials is null ? defaults.Registry.Credentials : RegistryCredential.ParseUserPassword(credentials),
                AuthFilePath = authFile ?? defaults.Registry.AuthFilePath,
                TlsVerify = tlsVerify,
            },
        };
    }

    /// <summary>Names the credentials' user at most (<see cref="RegistryCredential.ToString"/>); never a password or token.</summary>
    public override string ToString() =>
        $"ImageOpenOptions {{ Platform = {Platform?.ToString() ?? "default"}, Credentials = {Registry.Credentials?.ToString() ?? "none"}, AuthFile = {Registry.AuthFilePath ?? "default"}, TlsVerify = {Registry.TlsVerify}, MaxParallelLayers = {MaxParallelLayers} }}";
}
