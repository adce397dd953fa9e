namespace Strata.Signing.Policy;

using System.Text.Json;
using Strata.Core;
using Strata.Signing.Cosign;
using Strata.Signing.Identity;
using Strata.Signing.Keys;

/// <summary>
/// <c>sigstoreSigned</c>: at least one sigstore (cosign) signature attachment must verify with a trusted public key, for
/// the image's manifest digest and an accepted identity. Every field containers/image knows is parsed and validated;
/// Fulcio, PKI and Rekor trust roots are not evaluated yet and reject with a message that says so.
/// </summary>
public sealed class SigstoreSignedRequirement : PolicyRequirement
{
    internal const string TypeName = "sigstoreSigned";

    private static readonly string[] KeySources = ["keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "pki"];
    private static readonly string[] CertificateSources = ["fulcio", "pki"];
    private static readonly string[] RekorSources = ["rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData", "rekorPublicKeyDatas"];

    private SigstoreSignedRequirement(string keySource, IReadOnlyList<string>? keyPaths, IReadOnlyList<byte[]>? keyDatas, string? rekorSource, SignedIdentity signedIdentity)
    {
        KeySource = keySource;
        KeyPaths = keyPaths;
        KeyDatas = keyDatas;
        RekorSource = rekorSource;
        SignedIdentity = signedIdentity;
    }

    public override string Type => TypeName;

    /// <summary>Which of keyPath, keyPaths, keyData, keyDatas, fulcio, pki the requirement uses.</summary>
    public string KeySource { get; }

    /// <summary>The public key files (keyPath or keyPaths), or null.</summary>
    public IReadOnlyList<string>? KeyPaths { get; }

    /// <summary>The inline public keys (keyData or keyDatas), or null.</summary>
    public IReadOnlyList<byte[]>? KeyDatas { get; }

    /// <summary>Which Rekor public key field is given, or null.</summary>
    public string? RekorSource { get; }

    public SignedIdentity SignedIdentity { get; }

    public override string Describe()
    {
        var source = KeyPaths is not null ? $"{KeySource}={string.Join(',', KeyPaths)}" : KeySource;
        return $"{TypeName} {source}{(RekorSource is null ? string.Empty : ", " + RekorSource)}, signedIdentity {SignedIdentity}";
    }

    public override Task<RequirementResult> EvaluateAsync(PolicyImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Task.FromResult(Evaluate(image));
    }

    private RequirementResult Evaluate(PolicyImage image)
    {
        if (KeySource is "fulcio" or "pki" || RekorSource is not null)
        {
            return Reject($"sigstoreSigned with {(RekorSource ?? KeySource)} is not supported by Strata yet (only public keys without Rekor)");
        }

        IReadOnlyList<PublicKeyMaterial> keys;
        try
        {
            keys = KeyPaths is not null
                ? PublicKeyMaterial.Load(KeyPaths)
                : [.. KeyDatas!.Select((data, i) => PublicKeyMaterial.Parse(data, $"keyData[{i}]"))];
        }
        catch (StrataException e)
        {
            return Reject($"public key could not be loaded: {e.Message}");
        }

        var rejections = new List<string>();
        var nonSigstore = 0;
        var nonSignatureAttachments = 0;
        foreach (var blob in image.Signatures)
        {
            if (!blob.IsSigstore)
            {
                nonSigstore++;
                continue;
            }

            SigstoreSignature signature;
            try
            {
                signature = SigstoreSignature.FromDirBlob(blob.Bytes, blob.Origin);
            }
            catch (StrataException e)
            {
                rejections.Add($"{blob.Origin}: {e.Message}");
                continue;
            }

            if (!signature.IsSignature)
            {
                nonSignatureAttachments++;
                continue;
            }

            if (Check(image, blob.Origin, signature, keys, out var reason))
            {
                return Accept(reason);
            }

            rejections.Add(reason);
        }

        var none = nonSigstore == 0 && nonSignatureAttachments == 0
            ? "no sigstore signature exists"
            : $"no sigstore signature exists ({nonSigstore} non-sigstore signatures, {nonSignatureAttachments} sigstore non-signature attachments)";
        return Reject(SignatureChecks.Summarize(rejections, none), rejections);
    }

    private bool Check(PolicyImage image, string origin, SigstoreSignature signature, IReadOnlyList<PublicKeyMaterial> keys, out string reason)
    {
        SignaturePayload payload;
        PublicKeyMaterial verifiedBy;
        try
        {
            payload = CosignVerifier.Verify(signature, keys, out verifiedBy);
        }
        catch (StrataException e)
        {
            reason = $"{origin}: {e.Message}";
            return false;
        }

        if (!SignatureChecks.ManifestMatches(image, payload, origin, out reason)
            || !SignatureChecks.IdentityMatches(image, payload, SignedIdentity, origin, out reason))
        {
            return false;
        }

        reason = $"{origin}: signed by key {verifiedBy.Source} for {payload.DockerReference} ({SignedIdentity.Type})";
        return true;
    }

    internal static SigstoreSignedRequirement ParseObject(JsonElement element, string where)
    {
        var fields = StrictJsonObject.Read(element, where, key => key == "type" || key == "signedIdentity" || KeySources.Contains(key) || RekorSources.Contains(key));
        CheckType(fields, where, TypeName);
        var identity = ParseSignedIdentity(fields, where);

        var keyPath = fields.String("keyPath", where);
        var keyPaths = fields.StringArray("keyPaths", where);
        var keyData = fields.Bytes("keyData", where);
        var keyDatas = fields.BytesArray("keyDatas", where);
        if (fields.Has("keyPaths") && keyPaths is { Count: 0 })
        {
            throw new PolicyFormatException($"{where}: \"keyPaths\" contains no entries");
        }

        if (fields.Has("keyDatas") && keyDatas is { Count: 0 })
        {
            throw new PolicyFormatException($"{where}: \"keyDatas\" contains no entries");
        }

        foreach (var name in RekorSources.Where(n => n.EndsWith('s') && fields.Has(n)))
        {
            if (name.EndsWith("Paths", StringComparison.Ordinal) ? fields.StringArray(name, where) is { Count: 0 } : fields.BytesArray(name, where) is { Count: 0 })
            {
                throw new PolicyFormatException($"{where}: \"{name}\" contains no entries");
            }
        }

        if (fields.Has("fulcio"))
        {
            ValidateFulcio(fields.Element("fulcio")!.Value, where + ".fulcio");
        }

        if (fields.Has("pki"))
        {
            ValidatePki(fields.Element("pki")!.Value, where + ".pki");
        }

        // Present means set, as containers/image counts them: a non-empty path, or a non-null list or data.
        var keySources = new List<string>();
        if (keyPath.Length > 0)
        {
            keySources.Add("keyPath");
        }

        if (keyPaths is not null)
        {
            keySources.Add("keyPaths");
        }

        if (keyData is not null)
        {
            keySources.Add("keyData");
        }

        if (keyDatas is not null)
        {
            keySources.Add("keyDatas");
        }

        keySources.AddRange(CertificateSources.Where(n => fields.Element(n) is { ValueKind: not JsonValueKind.Null }));
        if (keySources.Count != 1)
        {
            throw new PolicyFormatException($"{where}: exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified");
        }

        var rekor = RekorSources.Where(n => n == "rekorPublicKeyPath" ? fields.String(n, where).Length > 0 : fields.Element(n) is { ValueKind: not JsonValueKind.Null }).ToList();
        if (rekor.Count > 1)
        {
            throw new PolicyFormatException($"{where}: at most one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas can be used simultaneously");
        }

        if (keySources[0] == "fulcio" && rekor.Count == 0)
        {
            throw new PolicyFormatException($"{where}: at least one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas must be specified if fulcio is used");
        }

        if (keySources[0] == "pki" && rekor.Count > 0)
        {
            throw new PolicyFormatException($"{where}: rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas are not supported for pki");
        }

        IReadOnlyList<string>? paths = keySources[0] switch
        {
            "keyPath" => [keyPath],
            "keyPaths" => keyPaths,
            _ => null,
        };
        IReadOnlyList<byte[]>? datas = keySources[0] switch
        {
            "keyData" => [keyData!],
            "keyDatas" => keyDatas,
            _ => null,
        };
        return new SigstoreSignedRequirement(keySources[0], paths, datas, rekor.FirstOrDefault(), identity);
    }

    private static void ValidateFulcio(JsonElement element, string where)
    {
        var fields = StrictJsonObject.Read(element, where, key => key is "caPath" or "caData" or "oidcIssuer" or "subjectEmail");
        var caPath = fields.String("caPath", where);
        var caData = fields.Bytes("caData", where);
        if (caPath.Length > 0 && caData is not null)
        {
            throw new PolicyFormatException($"{where}: caPath and caData cannot be used simultaneously");
        }

        if (caPath.Length == 0 && caData is null)
        {
            throw new PolicyFormatException($"{where}: at least one of caPath and caData must be specified");
        }

        if (fields.String("oidcIssuer", where).Length == 0)
        {
            throw new PolicyFormatException($"{where}: oidcIssuer not specified");
        }

        if (fields.String("subjectEmail", where).Length == 0)
        {
            throw new PolicyFormatException($"{where}: subjectEmail not specified");
        }
    }

    private static void ValidatePki(JsonElement element, string where)
    {
        var fields = StrictJsonObject.Read(element, where, key => key is "caRootsPath" or "caRootsData" or "caIntermediatesPath" or "caIntermediatesData" or "subjectEmail" or "subjectHostname");
        var rootsPath = fields.String("caRootsPath", where);
        var rootsData = fields.Bytes("caRootsData", where);
        if (rootsPath.Length > 0 && rootsData is not null)
        {
            throw new PolicyFormatException($"{where}: caRootsPath and caRootsData cannot be used simultaneously");
        }

        if (rootsPath.Length == 0 && rootsData is null)
        {
            throw new PolicyFormatException($"{where}: at least one of caRootsPath and caRootsData must be specified");
        }

        if (fields.String("caIntermediatesPath", where).Length > 0 && fields.Bytes("caIntermediatesData", where) is not null)
        {
            throw new PolicyFormatException($"{where}: caIntermediatesPath and caIntermediatesData cannot be used simultaneously");
        }

        if (fields.String("subjectEmail", where).Length == 0 && fields.String("subjectHostname", where).Length == 0)
        {
            throw new PolicyFormatException($"{where}: at least one of subjectEmail, subjectHostname must be specified");
        }
    }
}
