namespace Strata.Signing.Policy;

using System.Text.Json;
using Strata.Signing.Identity;
using Strata.Signing.SimpleSigning;

/// <summary>
/// <c>signedBy</c>: at least one simple-signing ("atomic container signature") OpenPGP signature of the image must be by a
/// trusted key, for the image's manifest digest and an accepted identity. Only <c>keyType: GPGKeys</c> is evaluated;
/// the other key types parse (as in containers/image) but reject, as there.
/// </summary>
public sealed class SignedByRequirement : PolicyRequirement
{
    internal const string TypeName = "signedBy";

    private static readonly string[] KeySourceNames = ["keyPath", "keyPaths", "keyData"];
    private static readonly string[] KeyTypes = ["GPGKeys", "signedByGPGKeys", "X509Certificates", "signedByX509CAs"];

    private SignedByRequirement(string keyType, string? keyPath, IReadOnlyList<string>? keyPaths, byte[]? keyData, SignedIdentity signedIdentity)
    {
        KeyType = keyType;
        KeyPath = keyPath;
        KeyPaths = keyPaths;
        KeyData = keyData;
        SignedIdentity = signedIdentity;
    }

    public override string Type => TypeName;

    public string KeyType { get; }

    public string? KeyPath { get; }

    public IReadOnlyList<string>? KeyPaths { get; }

    public byte[]? KeyData { get; }

    public SignedIdentity SignedIdentity { get; }

    public override string Describe()
    {
        var source = KeyPath is not null ? $"keyPath={KeyPath}"
            : KeyPaths is not null ? $"keyPaths={string.Join(',', KeyPaths)}"
            : $"keyData ({KeyData?.Length ?? 0} bytes)";
        return $"{TypeName} {KeyType} {source}, signedIdentity {SignedIdentity}";
    }

    public override Task<RequirementResult> EvaluateAsync(PolicyImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Task.FromResult(Evaluate(image));
    }

    private RequirementResult Evaluate(PolicyImage image)
    {
        if (KeyType != "GPGKeys")
        {
            return Reject($"unimplemented \"keyType\" value \"{KeyType}\" (containers/image evaluates only GPGKeys)");
        }

        OpenPgpKeyring keyring;
        try
        {
            keyring = KeyData is not null
                ? OpenPgpKeyring.FromBytes([KeyData], "keyData")
                : OpenPgpKeyring.Load(KeyPath is not null ? [KeyPath] : KeyPaths!);
        }
        catch (Exception e) when (e is SignatureException or Core.StrataException or IOException or UnauthorizedAccessException)
        {
            return Reject($"no public keys imported: {e.Message}");
        }

                var rejections = new List<string>();
        foreach (var signature in image.SimpleSignatures)
        {
            if (Check(image, signature, keyring, out var reason))
            {
                return Accept(reason);
            }

            rejections.Add(reason);
        }

        return Reject(SignatureChecks.Summarize(rejections, "no simple-signing signature exists"), rejections);
    }

    private bool Check(PolicyImage image, ImageSignatureBlob signature, OpenPgpKeyring keyring, out string reason)
    {
        SignaturePayload payload;
        string fingerprint;
        try
        {
            payload = SimpleSignatureVerifier.Verify(signature.Bytes, keyring, out fingerprint);
        }
        catch (SignatureException e)
        {
            reason = $"{signature.Origin}: {e.Message}";
            return false;
        }

        if (!SignatureChecks.ManifestMatches(image, payload, signature.Origin, out reason)
            || !SignatureChecks.IdentityMatches(image, payload, SignedIdentity, signature.Origin, out reason))
        {
            return false;
        }

        reason = $"{signature.Origin}: signed by {fingerprint} for {payload.DockerReference} ({SignedIdentity.Type})";
        return true;
    }

    internal static SignedByRequirement ParseObject(JsonElement element, string where)
    {
        var fields = StrictJsonObject.Read(element, where, key => key is "type" or "keyType" or "keyPath" or "keyPaths" or "keyData" or "signedIdentity");
        CheckType(fields, where, TypeName);
        var keyType = fields.String("keyType", where);
        if (fields.Has("keyType") && !KeyTypes.Contains(keyType, StringComparer.Ordinal))
        {
            throw new PolicyFormatException($"{where}.keyType: unrecognized keyType value \"{keyType}\"");
        }

        var identity = ParseSignedIdentity(fields, where);
        var sources = KeySourceNames.Count(fields.Has);
        if (sources == 0)
        {
            throw new PolicyFormatException($"{where}: exactly one of keyPath, keyPaths and keyData must be specified, none of them present");
        }

        if (sources > 1)
        {
            throw new PolicyFormatException($"{where}: exactly one of keyPath, keyPaths and keyData must be specified, more than one present");
        }

        if (!KeyTypes.Contains(keyType, StringComparer.Ordinal))
        {
            throw new PolicyFormatException($"{where}: invalid keyType \"{keyType}\"");
        }

        var keyPath = fields.String("keyPath", where);
        var keyPaths = fields.StringArray("keyPaths", where);
        var keyData = fields.Bytes("keyData", where);
        var present = (keyPath.Length > 0 ? 1 : 0) + (keyPaths is not null ? 1 : 0) + (keyData is not null ? 1 : 0);
        if (present != 1)
        {
            throw new PolicyFormatException($"{where}: exactly one of keyPath, keyPaths and keyData must be specified");
        }

        return new SignedByRequirement(keyType, keyPath.Length > 0 ? keyPath : null, keyPaths, keyData, identity);
    }
}
