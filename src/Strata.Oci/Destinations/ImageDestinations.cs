namespace Strata.Oci.Destinations;

using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci.Registry;
using Strata.Oci.Transports;

/// <summary>Opens a destination from a reference: <c>oci:DIR[:TAG]</c>, or <c>docker://REF</c> (a bare <c>REF</c> means a registry).</summary>
public static class ImageDestinations
{
    /// <summary>The syntaxes for help text.</summary>
    public const string Syntaxes = "oci:DIR[:TAG], docker://REF";

    public static IImageDestination Open(string reference, RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        if (reference.StartsWith(ImageTransports.Oci.Prefix, StringComparison.Ordinal))
        {
            var remainder = reference[ImageTransports.Oci.Prefix.Length..];
            var at = remainder.LastIndexOf('@');
            Digest? digest = null;
            if (at > 0 && Digest.TryParse(remainder[(at + 1)..], out var parsed))
            {
                digest = parsed;
                remainder = remainder[..at];
            }

            // As containers/image: the path ends at the first ':'.
            var colon = remainder.IndexOf(':', StringComparison.Ordinal);
            var path = colon < 0 ? remainder : remainder[..colon];
            var tag = colon < 0 || colon == remainder.Length - 1 ? null : remainder[(colon + 1)..];
            if (path.Length == 0)
            {
                throw StrataException.Usage($"'{Redaction.Quote(reference, 200)}': no directory; expected oci:DIR[:TAG].");
            }

            DestinationChecks.Tag(tag, reference);
            return new OciLayoutDestination(path, tag, digest, reference);
        }

        var text = reference.StartsWith(RegistryImageSource.Transport, StringComparison.Ordinal) ? reference[RegistryImageSource.Transport.Length..] : reference;
        if (ImageTransports.ByPrefix(reference) is { } other && other != ImageTransports.Docker)
        {
            throw StrataException.Usage($"'{Redaction.Quote(reference, 200)}': {other.Name} is not a destination Strata writes; expected {Syntaxes}.");
        }

        if (text.Length == 0)
        {
            throw StrataException.Usage($"'{Redaction.Quote(reference, 200)}': expected {Syntaxes}.");
        }

        return new RegistryDestination(ImageReference.Parse(text), options);
    }
}
