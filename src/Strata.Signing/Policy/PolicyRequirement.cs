namespace Strata.Signing.Policy;

using System.Text.Json;
using Strata.Signing.Identity;

/// <summary>
/// One requirement of a policy scope (containers-policy.json(5)); an image is accepted when every requirement of its
/// scope accepts it. Parsed with containers/image's strictness: exact field sets, no duplicates, validated values.
/// </summary>
public abstract class PolicyRequirement
{
    private protected PolicyRequirement()
    {
    }

    /// <summary>The JSON <c>type</c>.</summary>
    public abstract string Type { get; }

    /// <summary>A one-line description for reports, e.g. <c>signedBy GPGKeys keyPath=/keys/a.gpg, signedIdentity matchRepository</c>.</summary>
    public abstract string Describe();

    public override string ToString() => Describe();

    /// <summary>Parses one element of a requirement list; <paramref name="where"/> names it in errors.</summary>
    public static PolicyRequirement Parse(JsonElement element, string where)
    {
        ArgumentNullException.ThrowIfNull(where);
        var type = StrictJsonObject.TypeOf(element, where);
        return type switch
        {
            InsecureAcceptAnythingRequirement.TypeName => InsecureAcceptAnythingRequirement.ParseObject(element, where),
            RejectRequirement.TypeName => RejectRequirement.ParseObject(element, where),
            SignedByRequirement.TypeName => SignedByRequirement.ParseObject(element, where),
            SignedBaseLayerRequirement.TypeName => SignedBaseLayerRequirement.ParseObject(element, where),
            SigstoreSignedRequirement.TypeName => SigstoreSignedRequirement.ParseObject(element, where),
            _ => throw new PolicyFormatException($"{where}: unknown policy requirement type \"{type}\""),
        };
    }

    /// <summary>Decides on one image.</summary>
    public abstract Task<RequirementResult> EvaluateAsync(PolicyImage image, CancellationToken cancellationToken);

    private protected static void CheckType(StrictJsonObject fields, string where, string expected)
    {
        var type = fields.String("type", where);
        if (!string.Equals(type, expected, StringComparison.Ordinal))
        {
            throw new PolicyFormatException($"{where}: unexpected policy requirement type \"{type}\"");
        }
    }

    private protected static SignedIdentity ParseSignedIdentity(StrictJsonObject fields, string where)
        => fields.Element("signedIdentity") is { } element && element.ValueKind != JsonValueKind.Null
            ? SignedIdentity.Parse(element, where + ".signedIdentity")
            : SignedIdentity.MatchRepoDigestOrExact;

    private protected RequirementResult Accept(string reason) => new(this, true, reason);

    private protected RequirementResult Reject(string reason, IReadOnlyList<string>? signatureRejections = null)
        => new(this, false, reason) { SignatureRejections = signatureRejections ?? [] };
}

/// <summary>What one requirement decided, and why.</summary>
public sealed record RequirementResult(PolicyRequirement Requirement, bool Accepted, string Reason)
{
    /// <summary>Why each signature present was not accepted (wrong key, tampered, wrong digest or identity); empty when none was present.</summary>
    public IReadOnlyList<string> SignatureRejections { get; init; } = [];
}

/// <summary><c>insecureAcceptAnything</c>: accepts every image, signed or not.</summary>
public sealed class InsecureAcceptAnythingRequirement : PolicyRequirement
{
    internal const string TypeName = "insecureAcceptAnything";

    public static InsecureAcceptAnythingRequirement Instance { get; } = new();

    public override string Type => TypeName;

    public override string Describe() => TypeName;

    public override Task<RequirementResult> EvaluateAsync(PolicyImage image, CancellationToken cancellationToken)
        => Task.FromResult(Accept("insecureAcceptAnything accepts any image"));

    internal static InsecureAcceptAnythingRequirement ParseObject(JsonElement element, string where)
    {
        CheckType(StrictJsonObject.ReadExact(element, where, "type"), where, TypeName);
        return Instance;
    }
}

/// <summary><c>reject</c>: refuses every image.</summary>
public sealed class RejectRequirement : PolicyRequirement
{
    internal const string TypeName = "reject";

    public static RejectRequirement Instance { get; } = new();

    public override string Type => TypeName;

    public override string Describe() => TypeName;

    public override Task<RequirementResult> EvaluateAsync(PolicyImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Task.FromResult(Reject($"running image {image.Name} is rejected by policy"));
    }

    internal static RejectRequirement ParseObject(JsonElement element, string where)
    {
        CheckType(StrictJsonObject.ReadExact(element, where, "type"), where, TypeName);
        return Instance;
    }
}

/// <summary><c>signedBaseLayer</c>: parsed as containers/image does, and like it never satisfied (not implemented there).</summary>
public sealed class SignedBaseLayerRequirement : PolicyRequirement
{
    internal const string TypeName = "signedBaseLayer";

    private SignedBaseLayerRequirement(SignedIdentity baseLayerIdentity) => BaseLayerIdentity = baseLayerIdentity;

    public override string Type => TypeName;

    public SignedIdentity BaseLayerIdentity { get; }

    public override string Describe() => $"{TypeName} baseLayerIdentity {BaseLayerIdentity}";

    public override Task<RequirementResult> EvaluateAsync(PolicyImage image, CancellationToken cancellationToken)
        => Task.FromResult(Reject("signedBaseLayer is not implemented (containers/image rejects it too)"));

    internal static SignedBaseLayerRequirement ParseObject(JsonElement element, string where)
    {
        var fields = StrictJsonObject.ReadExact(element, where, "type", "baseLayerIdentity");
        CheckType(fields, where, TypeName);
        return new SignedBaseLayerRequirement(SignedIdentity.Parse(fields.Element("baseLayerIdentity")!.Value, where + ".baseLayerIdentity"));
    }
}
