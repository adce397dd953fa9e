namespace Strata.Oci.Transports;

using Strata.Oci.Sources;

/// <summary>Opens an image for reading through one transport.</summary>
/// <param name="reference">The whole reference as given (for messages), e.g. <c>oci:/images/app:1.0</c>.</param>
/// <param name="remainder">What follows the transport's prefix, e.g. <c>/images/app:1.0</c>; never empty.</param>
public delegate Task<IImageSource> ImageSourceOpener(string reference, string remainder, ImageOpenOptions options, CancellationToken cancellationToken);

/// <summary>Opens a destination (an image store to write to) through one transport; <paramref name="remainder"/> as for <see cref="ImageSourceOpener"/>.</summary>
public delegate Destinations.IImageDestination ImageDestinationOpener(string reference, string remainder, Registry.RegistryOptions options);

/// <summary>
/// One way to reach an image, as in containers-transports(5): its prefix, the syntax users write after it, how a local
/// path given without the prefix is recognised, and how the image is opened for reading. Every list of transports (the
/// target resolver, <c>strata image</c>, <c>--help</c>) reads <see cref="ImageTransports.All"/>.
/// </summary>
/// <remarks>
/// Writing (registry pushes and OCI layouts as destinations for signing and encryption) is the second opener,
/// <see cref="OpenDestination"/>; a transport that does not offer it is read-only.
/// </remarks>
public sealed record ImageTransport
{
    /// <summary>e.g. <c>oci</c>, <c>docker</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What a reference starts with: <c>oci:</c>, <c>docker://</c>.</summary>
    public required string Prefix { get; init; }

    /// <summary>The reference syntax for help and messages, e.g. <c>oci:DIR[:TAG|@DIGEST]</c>.</summary>
    public required string Syntax { get; init; }

    /// <summary>What it names, e.g. "an OCI image layout directory".</summary>
    public required string Description { get; init; }

    /// <summary>How it is told from a plain path, for help and the README, e.g. "a directory holding oci-layout".</summary>
    public required string DetectedBy { get; init; }

    /// <summary>Recognises a local path given without a prefix; null when the transport is reached only by its prefix.</summary>
    public Func<string, bool>? Recognises { get; init; }

    public required ImageSourceOpener OpenSource { get; init; }

    /// <summary>Opens the image store for writing; null for a read-only transport.</summary>
    public ImageDestinationOpener? OpenDestination { get; init; }

    public override string ToString() => Syntax;
}
