namespace Strata.Signing.SimpleSigning;

using Strata.Core;
using Strata.Oci;
using Strata.Oci.Transports;
using Strata.Signing.Lookaside;

/// <summary>Where GPG simple signatures are read from and written to, and how images are opened.</summary>
public sealed record SimpleSigningOptions
{
    /// <summary>How images are opened (registry credentials, TLS, limits).</summary>
    public ImageOpenOptions Image { get; init; } = ImageOpenOptions.Default;

    /// <summary>
    /// A lookaside URL that overrides registries.d: for docker:// images the top level (the repository path is appended),
    /// for other transports (no repository) the directory the <c>&lt;repo&gt;@sha256=&lt;hex&gt;</c> folders would be in, taken as is.
    /// </summary>
    public Uri? Lookaside { get; init; }

    /// <summary>The registries.d configuration; null reads it from the default directories.</summary>
    public RegistriesConfiguration? Registries { get; init; }

    /// <summary>The payload's <c>optional.creator</c>.</summary>
    public string Creator { get; init; } = "strata";

    /// <summary>Time limit for each lookaside HTTP read.</summary>
    public TimeSpan LookasideTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock (tests pin it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>What signing wrote.</summary>
public sealed record SimpleSigningResult(Digest ManifestDigest, string DockerReference, string SignerFingerprint, Uri Location);

/// <summary>The outcome of one signature: accepted, or the reason it is not.</summary>
public sealed record SimpleSignatureCheck(string Location, SignaturePayload? Payload, string? SignerFingerprint, string? Problem)
{
    public bool Accepted => Problem is null;
}

/// <summary>The outcome for an image: accepted when at least one signature is (as a <c>signedBy</c> policy requires).</summary>
public sealed record SimpleVerificationResult(string Image, Digest? ManifestDigest, IReadOnlyList<SimpleSignatureCheck> Signatures, string? Problem)
{
    public bool Accepted => Problem is null && Signatures.Any(s => s.Accepted);

    /// <summary>One line saying why the image is not accepted (or that it is).</summary>
    public string Summary => Accepted
        ? $"{Image}: {Signatures.Count(s => s.Accepted)} valid GPG signature(s) by {string.Join(", ", Signatures.Where(s => s.Accepted).Select(s => s.SignerFingerprint).Distinct())}"
        : Problem is not null
            ? $"{Image}: {Problem}"
            : Signatures.Count == 0
                ? $"{Image}: no GPG simple signatures found"
                : $"{Image}: no valid signature: " + string.Join("; ", Signatures.Select(s => $"{s.Location}: {s.Problem}"));
}

/// <summary>
/// GPG simple signing end to end, without argument parsing: find the image's manifest, sign it into lookaside storage
/// (or a skopeo <c>dir:</c> copy's <c>signature-N</c>), and verify every signature of an image the way a
/// containers-policy <c>signedBy</c> requirement does (key, payload, manifest digest, identity).
/// </summary>
public static class SimpleSigningWorkflow
{
    private const string DirPrefix = "dir:";

    /// <summary>The signature format tag containers/image puts before non-simple-signing blobs (sigstore) in lookaside and dir: storage.</summary>
    private const byte FormatTag = 0x00;

    /// <summary>
    /// Signs an image's manifest. <paramref name="dockerReference"/> is the identity to sign for (default: the
    /// registry reference of a <c>docker://</c> image, required for other transports). The signature goes to the
    /// <c>dir:</c> folder itself, or to the lookaside staging (or lookaside) location of registries.d, or <see cref="SimpleSigningOptions.Lookaside"/>.
    /// </summary>
    public static async Task<SimpleSigningResult> SignAsync(string image, SimpleSigner signer, string? dockerReference, SimpleSigningOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(options);
        var target = await OpenAsync(image, options, write: true, cancellationToken);
        var identity = dockerReference ?? target.RegistryReference?.ToString()
            ?? throw StrataException.Usage($"{image}: give the identity to sign for (a docker reference such as registry.example/app:1.0); only docker:// images carry one");
        if (!ImageReference.TryParse(identity, out _, out var error))
        {
            throw StrataException.Usage($"identity '{identity}': {error}");
        }

        var payload = new SignaturePayload(identity, target.ManifestDigest, SignaturePayload.AtomicType, options.Creator, options.Clock.GetUtcNow().ToUnixTimeSeconds());
        var signature = signer.Sign(payload, options.Clock.GetUtcNow());
        var location = target.DirPath is { } dir
            ? new Uri(await LookasideStore.WriteNextAsync(dir, signature, cancellationToken))
            : await LookasideStore.WriteAsync(target.LookasideBase!, target.ManifestDigest, signature, cancellationToken);
        return new SimpleSigningResult(target.ManifestDigest, identity, signer.Fingerprint, location);
    }

    /// <summary>
    /// Verifies every GPG simple signature of an image against the keyring (and, when given, only these primary
    /// fingerprints). <paramref name="identityProblem"/> gets the signed docker reference and returns null when it
    /// matches the image, else the reason (wire <c>SignedIdentity.Matches</c> here). Sigstore-format blobs found in the
    /// same storage are skipped, not counted.
    /// </summary>
    public static async Task<SimpleVerificationResult> VerifyAsync(
        string image,
        OpenPgpKeyring keyring,
        Func<string, string?> identityProblem,
        SimpleSigningOptions options,
        CancellationToken cancellationToken,
        IReadOnlyCollection<string>? acceptedFingerprints = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(keyring);
        ArgumentNullException.ThrowIfNull(identityProblem);
        ArgumentNullException.ThrowIfNull(options);
        ImageTarget target;
        try
        {
            target = await OpenAsync(image, options, write: false, cancellationToken);
        }
        catch (SignatureException e)
        {
            return new SimpleVerificationResult(image, null, [], e.Message);
        }

        IReadOnlyList<(string Location, byte[] Bytes)> blobs;
        if (target.DirPath is { } dir)
        {
            blobs = await ReadDirSignaturesAsync(dir, cancellationToken);
        }
        else
        {
            using var store = new LookasideStore(options.LookasideTimeout);
            blobs = (await store.ReadAsync(target.LookasideBase!, target.ManifestDigest, cancellationToken)).Select(s => (s.Location.ToString(), s.Bytes)).ToList();
        }

        var now = options.Clock.GetUtcNow();
        var checks = blobs
            .Where(b => b.Bytes.Length == 0 || b.Bytes[0] != FormatTag)
            .Select(b => Check(b.Location, b.Bytes, keyring, acceptedFingerprints, target.ManifestBytes, identityProblem, now))
            .ToList();
        return new SimpleVerificationResult(image, target.ManifestDigest, checks, null);
    }

    /// <summary>
    /// Checks one signature against an image's manifest as containers/image's <c>signedBy</c> does: the OpenPGP
    /// signature and key, the accepted fingerprints, the strict payload, the manifest digest, then the identity.
    /// </summary>
    public static SimpleSignatureCheck Check(
        string location,
        byte[] signature,
        OpenPgpKeyring keyring,
        IReadOnlyCollection<string>? acceptedFingerprints,
        byte[]? manifest,
        Func<string, string?> identityProblem,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(identityProblem);
        string fingerprint;
        SignaturePayload payload;
        try
        {
            var content = SimpleSignatureVerifier.VerifyMessage(signature, keyring, now, out fingerprint);
            if (acceptedFingerprints is not null && !acceptedFingerprints.Contains(fingerprint, StringComparer.OrdinalIgnoreCase))
            {
                return new SimpleSignatureCheck(location, null, fingerprint, $"signature by key {fingerprint} is not accepted");
            }

            payload = SignaturePayload.ParseStrict(content, SimpleSignatureVerifier.SignatureType);
        }
        catch (SignatureException e)
        {
            return new SimpleSignatureCheck(location, null, null, e.Message);
        }

        if (manifest is null)
        {
            return new SimpleSignatureCheck(location, payload, fingerprint, "the image has no manifest to check the signature against");
        }

        if (!payload.ManifestDigest.Matches(manifest))
        {
            return new SimpleSignatureCheck(location, payload, fingerprint, $"manifest digest mismatch: signed for {payload.ManifestDigest}, the manifest hashes to {Digest.Sha256Of(manifest)}");
        }

        return identityProblem(payload.DockerReference) is { } reason
            ? new SimpleSignatureCheck(location, payload, fingerprint, $"identity mismatch: {reason}")
            : new SimpleSignatureCheck(location, payload, fingerprint, null);
    }

    private static async Task<ImageTarget> OpenAsync(string image, SimpleSigningOptions options, bool write, CancellationToken cancellationToken)
    {
        if (image.StartsWith(DirPrefix, StringComparison.Ordinal))
        {
            // skopeo's dir: keeps the signatures beside the manifest; read it directly (also when the folder has no version file).
            var dir = image[DirPrefix.Length..];
            if (!Directory.Exists(dir))
            {
                throw new SignatureException($"{dir}: no such directory");
            }

            var manifestPath = Path.Combine(dir, "manifest.json");
            if (!File.Exists(manifestPath))
            {
                if (write)
                {
                    throw new SignatureException($"{manifestPath}: no manifest to sign");
                }

                return new ImageTarget(null, null, dir, null, default);
            }

            var manifest = await ReadBoundedAsync(manifestPath, options.Image.Limits.MaxManifestBytes, cancellationToken);
            return new ImageTarget(manifest, null, dir, null, Digest.Sha256Of(manifest));
        }

        var located = ImageTransports.Locate(image);
        ImageReference? registryReference = null;
        if (located.StartsWith(ImageTransports.Docker.Prefix, StringComparison.Ordinal))
        {
            registryReference = ImageReference.Parse(located[ImageTransports.Docker.Prefix.Length..]);
        }

        await using var source = await ImageTransports.OpenSourceAsync(located, options.Image, cancellationToken);
        var top = await source.GetTopManifestAsync(cancellationToken);
        if (top.ExpectedDigest is Digest expected && !expected.Matches(top.Bytes))
        {
            throw new SignatureException($"{top.Origin}: manifest digest mismatch: expected {expected}, content hashes to a different digest");
        }

        Uri lookaside;
        if (options.Lookaside is { } explicitBase)
        {
            var builder = new UriBuilder(explicitBase);
            if (registryReference is not null)
            {
                builder.Path = builder.Path.TrimEnd('/') + "/" + registryReference.Repository;
            }

            lookaside = builder.Uri;
        }
        else if (registryReference is not null)
        {
            lookaside = (options.Registries ?? RegistriesConfiguration.Load()).LookasideBaseFor(registryReference, write);
        }
        else
        {
            throw StrataException.Usage($"{image}: only docker:// images have lookaside storage in registries.d; give a lookaside location");
        }

        return new ImageTarget(top.Bytes, lookaside, null, registryReference, Digest.Sha256Of(top.Bytes));
    }

    private static async Task<byte[]> ReadBoundedAsync(string path, long max, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        return info.Length > max
            ? throw new SignatureException($"{path}: {info.Length} bytes, more than the {max} allowed for a manifest")
            : await File.ReadAllBytesAsync(path, cancellationToken);
    }

    private static async Task<IReadOnlyList<(string Location, byte[] Bytes)>> ReadDirSignaturesAsync(string dir, CancellationToken cancellationToken)
    {
        var result = new List<(string, byte[])>();
        for (var number = 1; number <= RegistriesConfiguration.MaxLookasideSignatures; number++)
        {
            var path = Path.Combine(dir, $"signature-{number}");
            if (!File.Exists(path))
            {
                break;
            }

            result.Add((path, await ReadBoundedAsync(path, LookasideStore.MaxSignatureBytes, cancellationToken)));
        }

        return result;
    }

    private sealed record ImageTarget(byte[]? ManifestBytes, Uri? LookasideBase, string? DirPath, ImageReference? RegistryReference, Digest ManifestDigest);
}
