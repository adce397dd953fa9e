namespace Strata.Oci.Destinations;

using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci.Registry;
using Strata.Oci.Transports;

/// <summary>
/// Opens a destination from a reference through the transport table (<see cref="ImageTransports"/>): <c>oci:DIR[:TAG]</c>,
/// or <c>docker://REF</c> (a bare <c>REF</c> means a registry). Transports without a destination opener are read-only.
/// </summary>
public static class ImageDestinations
{
    /// <summary>The syntaxes of the writable transports, for help text and messages.</summary>
    public static string Syntaxes => string.Join(", ", ImageTransports.All.Where(t => t.OpenDestination is not null).Select(t => t.Syntax));

    public static IImageDestination Open(string reference, RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        var transport = ImageTransports.ByPrefix(reference);
        var text = reference;
        if (transport is null)
        {
            transport = ImageTransports.IsBareReference(reference)
                ? ImageTransports.Docker
                : throw StrataException.Usage($"'{Redaction.Quote(reference, 200)}': not a destination; expected {Syntaxes}.");
            text = transport.Prefix + reference;
        }

        if (transport.OpenDestination is not { } open)
        {
            throw StrataException.Usage($"'{Redaction.Quote(reference, 200)}': {transport.Name} is not a destination Strata writes; expected {Syntaxes}.");
        }

        var remainder = text[transport.Prefix.Length..];
        var path = remainder.Split(':')[0];
        if (remainder.Length == 0 || (transport == ImageTransports.Oci && (path.Length == 0 || path.StartsWith('@'))))
        {
            throw StrataException.Usage($"'{Redaction.Quote(reference, 200)}': nothing to write to; expected {transport.Syntax}.");
        }

        var destination = open(text, remainder, options);
        DestinationChecks.Tag(destination.Tag, reference);
        return destination;
    }
}
