namespace Strata.Signing.Rules;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>SIG-001: the image carries no signature at all, in any place containers/image looks.</summary>
public sealed class ImageNotSigned : Check<ImageSignatureSubject>
{
    public override Rule Rule { get; } = new()
    {
        Id = "SIG-001",
        Title = "Image not signed",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "No signature of the image exists where podman, CRI-O and skopeo look: no sigstore (cosign) attachment (the sha256-<digest>.sig tag, read where registries.d sets use-sigstore-attachments), no lookaside signature (registries.d lookaside, signature-N), no signature-N file of a dir: copy. Without one, nothing ties the image to whoever built it: a registry, mirror or man in the middle can serve another image under the same name, and a signature policy can only accept it insecurely or reject it.",
        Remediation = "Sign the image where it is published (strata sign --key cosign.key IMAGE, or cosign sign; GPG simple signing with skopeo copy --sign-by) and make the runtime's policy.json require the signature (sigstoreSigned or signedBy) for that registry.",
        References =
        [
            "https://github.com/containers/image/blob/main/docs/containers-policy.json.5.md",
            "https://github.com/containers/image/blob/main/docs/containers-registries.d.5.md",
            "https://docs.sigstore.dev/cosign/signing/signing_with_containers/",
        ],
        Examples =
        [
            new RuleExample("an image with no .sig attachment, no lookaside signature and no signature-N file", true),
            new RuleExample("an image with a cosign signature in its sha256-<digest>.sig attachment", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageSignatureSubject subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Image.Signatures.Count > 0)
        {
            yield break;
        }

        yield return Finding.For(
            Rule,
            context.Target,
            new Location { Subject = subject.Image.ManifestDigest.ToString() },
            $"no signature found for {subject.Image.Name} (manifest {subject.Image.ManifestDigest}): no sigstore attachment, no lookaside or signature-N signature");
    }
}
