namespace Strata.Oci;

using Strata.Core.Scanning;
using Strata.Oci.Model;
using Strata.Oci.Registry;

/// <summary>Turns the command line's <see cref="ImageAccessOptions"/> (plain text, from Core) into <see cref="ImageOpenOptions"/>.</summary>
public static class ImageAccessTranslation
{
    /// <summary>
    /// Parses the platform and credentials (a usage error, exit 2, when malformed; the credentials are never
    /// repeated) and keeps everything else of <paramref name="defaults"/>.
    /// </summary>
    public static ImageOpenOptions ToOpenOptions(this ImageAccessOptions access, ImageOpenOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(access);
        defaults ??= ImageOpenOptions.Default;
        return defaults with
        {
            Platform = access.Platform is null ? defaults.Platform : Platform.Parse(access.Platform),
            Registry = defaults.Registry with
            {
                Credentials = access.Credentials is null ? defaults.Registry.Credentials : RegistryCredential.ParseUserPassword(access.Credentials),
                AuthFilePath = access.AuthFile ?? defaults.Registry.AuthFilePath,
                TlsVerify = access.TlsVerify,
            },
        };
    }
}
