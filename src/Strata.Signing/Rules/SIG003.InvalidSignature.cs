namespace Strata.Signing.Rules;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>SIG-003: a signature is present but does not verify for this image.</summary>
public sealed class InvalidSignature : Check<ImageSignatureSubject>
{
    public override Rule Rule { get; } = new()
    {
        Id = "SIG-003",
        Title = "Signature invalid or not for this image",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "A signature of the image exists but the policy's signature requirement did not accept it: it does not verify with the trusted keys (tampered payload or signature, another key), it signs another manifest digest (the image was changed or swapped after signing), or it names another identity than the image's (a signature copied from another repository or tag). This is what a man in the middle swapping images looks like, or a key rotation the policy has not caught up with.",
        Remediation = "Do not run the image until the mismatch is explained: pull it by digest from the publisher, compare the signed manifest digest with the image's (strata verify --key KEY IMAGE), re-sign it if the image was legitimately rebuilt, and update the policy's keys or signedIdentity if they are out of date.",
        References =
        [
            "https://github.com/containers/image/blob/main/docs/containers-policy.json.5.md",
            "https://github.com/containers/image/blob/main/docs/containers-signature.5.md",
        ],
        Examples =
        [
            new RuleExample("a cosign signature whose docker-manifest-digest is not the image's manifest digest", true, "manifest digest mismatch"),
            new RuleExample("a GPG signature made by a key that is not in the policy's keyPath", true),
            new RuleExample("a cosign signature verified by the policy's key, for this manifest digest and identity", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageSignatureSubject subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var result in subject.Decision.Results.Where(r => !r.Accepted))
        {
            foreach (var rejection in result.SignatureRejections)
            {
                yield return Finding.For(
                    Rule,
                    context.Target,
                    new Location { File = subject.PolicyPath, JsonPath = subject.Decision.Scope, Subject = subject.Image.ManifestDigest.ToString() },
                    $"{result.Requirement.Type}: {rejection}");
            }
        }
    }
}
