namespace Strata.Signing.Identity;

using System.Text.Json;
using Strata.Oci;
using Strata.Signing.Policy;

/// <summary>
/// Which signed identities (the signature's <c>docker-reference</c>) a policy accepts for an image: the
/// <c>signedIdentity</c> object of containers-policy.json(5), with containers/image's semantics and validation.
/// </summary>
public abstract class SignedIdentity
{
    private protected SignedIdentity()
    {
    }

    /// <summary>The JSON <c>type</c>, e.g. <c>matchRepoDigestOrExact</c>.</summary>
    public abstract string Type { get; }

    /// <summary>The image's reference must equal the signed one (both tagged or digested).</summary>
    public static SignedIdentity MatchExact { get; } = new MatchExactIdentity();

    /// <summary>
    /// A tagged image needs the exact signed reference; an image pulled by digest accepts any signature of its repository
    /// (the digest itself is checked against the signature elsewhere). The default of signedBy and sigstoreSigned.
    /// </summary>
    public static SignedIdentity MatchRepoDigestOrExact { get; } = new MatchRepoDigestOrExactIdentity();

    /// <summary>The signed reference must name the image's repository; tags and digests are ignored.</summary>
    public static SignedIdentity MatchRepository { get; } = new MatchRepositoryIdentity();

    /// <summary>The signature must be for exactly <paramref name="dockerReference"/> (tagged or digested), whatever the image's name.</summary>
    public static SignedIdentity ExactReference(string dockerReference)
    {
        ArgumentNullException.ThrowIfNull(dockerReference);
        if (!DockerReference.TryParseNormalized(dockerReference, out var parsed, out var error))
        {
            throw new PolicyFormatException($"invalid format of dockerReference \"{dockerReference}\": {error}");
        }

        if (parsed.IsNameOnly)
        {
            throw new PolicyFormatException($"dockerReference \"{dockerReference}\" contains neither a tag nor digest");
        }

        return new ExactReferenceIdentity(dockerReference);
    }

    /// <summary>The signature must be for repository <paramref name="dockerRepository"/>, whatever the image's name.</summary>
    public static SignedIdentity ExactRepository(string dockerRepository)
    {
        ArgumentNullException.ThrowIfNull(dockerRepository);
        if (!DockerReference.TryParseNormalized(dockerRepository, out _, out var error))
        {
            throw new PolicyFormatException($"invalid format of dockerRepository \"{dockerRepository}\": {error}");
        }

        return new ExactRepositoryIdentity(dockerRepository);
    }

    /// <summary>
    /// As matchRepoDigestOrExact, after rewriting an image name that starts with <paramref name="prefix"/> (a host[:port]
    /// or a repository namespace, matched at a '/' boundary) to start with <paramref name="signedPrefix"/>: for mirrors.
    /// </summary>
    public static SignedIdentity RemapIdentity(string prefix, string signedPrefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(signedPrefix);
        foreach (var value in new[] { prefix, signedPrefix })
        {
            if (!DockerReference.IsValidRemapPrefix(value))
            {
                throw new PolicyFormatException($"prefix \"{value}\" is not valid");
            }
        }

        return new RemapIdentityMatch(prefix, signedPrefix);
    }

    /// <summary>Parses a <c>signedIdentity</c> object (strictly: exact fields, no duplicates).</summary>
    public static SignedIdentity Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement, "signedIdentity");
        }
        catch (JsonException e)
        {
            throw new PolicyFormatException($"signedIdentity: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Parses a <c>signedIdentity</c> element; <paramref name="where"/> names it in errors.</summary>
    public static SignedIdentity Parse(JsonElement element, string where)
    {
        ArgumentNullException.ThrowIfNull(where);
        var type = StrictJsonObject.TypeOf(element, where);
        switch (type)
        {
            case "matchExact":
            case "matchRepoDigestOrExact":
            case "matchRepository":
                StrictJsonObject.ReadExact(element, where, "type");
                return type switch
                {
                    "matchExact" => MatchExact,
                    "matchRepoDigestOrExact" => MatchRepoDigestOrExact,
                    _ => MatchRepository,
                };
            case "exactReference":
                {
                    var fields = StrictJsonObject.ReadExact(element, where, "type", "dockerReference");
                    CheckType(fields, where, type);
                    return ExactReference(fields.String("dockerReference", where));
                }

            case "exactRepository":
                {
                    var fields = StrictJsonObject.ReadExact(element, where, "type", "dockerRepository");
                    CheckType(fields, where, type);
                    return ExactRepository(fields.String("dockerRepository", where));
                }

            case "remapIdentity":
                {
                    var fields = StrictJsonObject.ReadExact(element, where, "type", "prefix", "signedPrefix");
                    CheckType(fields, where, type);
                    return RemapIdentity(fields.String("prefix", where), fields.String("signedPrefix", where));
                }

            default:
                throw new PolicyFormatException($"{where}: unknown policy reference match type \"{type}\"");
        }
    }

    /// <summary>
    /// Whether a signature claiming <paramref name="signedDockerReference"/> is acceptable for <paramref name="image"/>.
    /// <paramref name="image"/> is the image's Docker reference identity (null when its transport has none, e.g. <c>oci:</c>);
    /// a name-only reference gets <c>:latest</c>, as the docker transport gives it.
    /// </summary>
    public bool Matches(ImageReference? image, string signedDockerReference, out string reason)
        => MatchesReference(image is null ? null : DockerReference.From(image).WithDefaultTag(), signedDockerReference, out reason);

    /// <summary>The JSON object, as containers-policy.json(5) writes it.</summary>
    public abstract string ToJson();

    public override string ToString() => Type;

    internal abstract bool MatchesReference(DockerReference? image, string signedDockerReference, out string reason);

    // The signed and intended references, or why there are none; as containers/image, an unparsable one never matches.
    private protected static bool TryParseImageAndSigned(DockerReference? image, string signed, out DockerReference intended, out DockerReference signature, out string reason)
    {
        intended = signature = null!;
        if (image is null)
        {
            reason = "the image has no Docker reference identity to match the signature's against";
            return false;
        }

        intended = image;
        return TryParseSigned(signed, out signature, out reason);
    }

    private protected static bool TryParseSigned(string signed, out DockerReference signature, out string reason)
    {
        ArgumentNullException.ThrowIfNull(signed);
        if (!DockerReference.TryParseNormalized(signed, out var parsed, out var error))
        {
            signature = null!;
            reason = $"signed identity \"{signed}\" is not a valid Docker reference: {error}";
            return false;
        }

        signature = parsed;
        reason = string.Empty;
        return true;
    }

    private protected static bool Mismatch(string rule, DockerReference signature, DockerReference intended, out string reason)
    {
        reason = $"identity mismatch ({rule}): signed for {signature}, image is {intended}";
        return false;
    }

    private protected static bool Match(DockerReference signature, out string reason)
    {
        reason = $"signed identity {signature} matches";
        return true;
    }

    // A tagged intended reference needs the exact signed one; a digested one only the same repository.
    private protected static bool MatchRepoDigestOrExactValues(string rule, DockerReference intended, DockerReference signature, out string reason)
    {
        if (signature.IsNameOnly)
        {
            reason = $"identity mismatch ({rule}): signed identity {signature} has neither tag nor digest";
            return false;
        }

        if (intended.Tag is not null)
        {
            return string.Equals(signature.ToString(), intended.ToString(), StringComparison.Ordinal)
                ? Match(signature, out reason)
                : Mismatch(rule, signature, intended, out reason);
        }

        if (intended.Digest is not null)
        {
            return string.Equals(signature.Name, intended.Name, StringComparison.Ordinal)
                ? Match(signature, out reason)
                : Mismatch(rule, signature, intended, out reason);
        }

        reason = $"identity mismatch ({rule}): image reference {intended} has neither tag nor digest";
        return false;
    }

    private static void CheckType(StrictJsonObject fields, string where, string expected)
    {
        var type = fields.String("type", where);
        if (!string.Equals(type, expected, StringComparison.Ordinal))
        {
            throw new PolicyFormatException($"{where}: unexpected policy reference match type \"{type}\"");
        }
    }

    private static string Quote(string text) => "\"" + JsonEncodedText.Encode(text).Value + "\"";

    private sealed class MatchExactIdentity : SignedIdentity
    {
        public override string Type => "matchExact";

        public override string ToJson() => """{"type":"matchExact"}""";

        internal override bool MatchesReference(DockerReference? image, string signedDockerReference, out string reason)
        {
            if (!TryParseImageAndSigned(image, signedDockerReference, out var intended, out var signature, out reason))
            {
                return false;
            }

            if (intended.IsNameOnly || signature.IsNameOnly)
            {
                reason = $"identity mismatch ({Type}): {(intended.IsNameOnly ? "image reference " + intended : "signed identity " + signature)} has neither tag nor digest";
                return false;
            }

            return string.Equals(signature.ToString(), intended.ToString(), StringComparison.Ordinal)
                ? Match(signature, out reason)
                : Mismatch(Type, signature, intended, out reason);
        }
    }

    private sealed class MatchRepoDigestOrExactIdentity : SignedIdentity
    {
        public override string Type => "matchRepoDigestOrExact";

        public override string ToJson() => """{"type":"matchRepoDigestOrExact"}""";

        internal override bool MatchesReference(DockerReference? image, string signedDockerReference, out string reason)
            => TryParseImageAndSigned(image, signedDockerReference, out var intended, out var signature, out reason)
                && MatchRepoDigestOrExactValues(Type, intended, signature, out reason);
    }

    private sealed class MatchRepositoryIdentity : SignedIdentity
    {
        public override string Type => "matchRepository";

        public override string ToJson() => """{"type":"matchRepository"}""";

        internal override bool MatchesReference(DockerReference? image, string signedDockerReference, out string reason)
        {
            if (!TryParseImageAndSigned(image, signedDockerReference, out var intended, out var signature, out reason))
            {
                return false;
            }

            return string.Equals(signature.Name, intended.Name, StringComparison.Ordinal)
                ? Match(signature, out reason)
                : Mismatch(Type, signature, intended, out reason);
        }
    }

    private sealed class ExactReferenceIdentity(string dockerReference) : SignedIdentity
    {
        public override string Type => "exactReference";

        public string DockerReference { get; } = dockerReference;

        public override string ToJson() => $$"""{"type":"exactReference","dockerReference":{{Quote(DockerReference)}}}""";

        public override string ToString() => $"{Type} {DockerReference}";

        internal override bool MatchesReference(DockerReference? image, string signedDockerReference, out string reason)
        {
            if (!Identity.DockerReference.TryParseNormalized(DockerReference, out var intended, out var error))
            {
                reason = $"dockerReference \"{DockerReference}\" is not valid: {error}";
                return false;
            }

            if (!TryParseSigned(signedDockerReference, out var signature, out reason))
            {
                return false;
            }

            if (intended.IsNameOnly || signature.IsNameOnly)
            {
                reason = $"identity mismatch ({Type}): {(intended.IsNameOnly ? "dockerReference " + intended : "signed identity " + signature)} has neither tag nor digest";
                return false;
            }

            return string.Equals(signature.ToString(), intended.ToString(), StringComparison.Ordinal)
                ? Match(signature, out reason)
                : Mismatch(Type, signature, intended, out reason);
        }
    }

    private sealed class ExactRepositoryIdentity(string dockerRepository) : SignedIdentity
    {
        public override string Type => "exactRepository";

        public string DockerRepository { get; } = dockerRepository;

        public override string ToJson() => $$"""{"type":"exactRepository","dockerRepository":{{Quote(DockerRepository)}}}""";

        public override string ToString() => $"{Type} {DockerRepository}";

        internal override bool MatchesReference(DockerReference? image, string signedDockerReference, out string reason)
        {
            if (!DockerReference.TryParseNormalized(DockerRepository, out var intended, out var error))
            {
                reason = $"dockerRepository \"{DockerRepository}\" is not valid: {error}";
                return false;
            }

            if (!TryParseSigned(signedDockerReference, out var signature, out reason))
            {
                return false;
            }

            return string.Equals(signature.Name, intended.Name, StringComparison.Ordinal)
                ? Match(signature, out reason)
                : Mismatch(Type, signature, intended, out reason);
        }
    }

    internal sealed class RemapIdentityMatch(string prefix, string signedPrefix) : SignedIdentity
    {
        public override string Type => "remapIdentity";

        public string Prefix { get; } = prefix;

        public string SignedPrefix { get; } = signedPrefix;

        public override string ToJson() => $$"""{"type":"remapIdentity","prefix":{{Quote(Prefix)}},"signedPrefix":{{Quote(SignedPrefix)}}}""";

        public override string ToString() => $"{Type} {Prefix} -> {SignedPrefix}";

        internal bool NameMatchesPrefix(DockerReference reference)
        {
            var name = reference.Name;
            return name.Length == Prefix.Length
                ? string.Equals(name, Prefix, StringComparison.Ordinal)
                : name.Length > Prefix.Length && name.StartsWith(Prefix, StringComparison.Ordinal) && name[Prefix.Length] == '/';
        }

        /// <summary>The reference rewritten to the signed prefix, or itself when the prefix does not apply.</summary>
        internal bool TryRemap(DockerReference reference, out DockerReference remapped, out string error)
        {
            error = string.Empty;
            remapped = reference;
            if (!NameMatchesPrefix(reference))
            {
                return true;
            }

            var text = reference.ToString();
            var rewritten = SignedPrefix + text[Prefix.Length..];
            if (!Identity.DockerReference.TryParseCanonical(rewritten, out var parsed, out var parseError))
            {
                error = $"error rewriting reference from \"{text}\" to \"{rewritten}\": {parseError}";
                return false;
            }

            remapped = parsed;
            return true;
        }

        internal override bool MatchesReference(DockerReference? image, string signedDockerReference, out string reason)
        {
            if (!TryParseImageAndSigned(image, signedDockerReference, out var intended, out var signature, out reason))
            {
                return false;
            }

            if (!TryRemap(intended, out var remapped, out reason))
            {
                return false;
            }

            return MatchRepoDigestOrExactValues(Type, remapped, signature, out reason);
        }
    }
}
