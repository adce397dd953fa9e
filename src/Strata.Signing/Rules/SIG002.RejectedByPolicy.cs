namespace Strata.Signing.Rules;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>SIG-002: the signature policy given with <c>--policy</c> would refuse to pull or run the image.</summary>
public sealed class RejectedByPolicy : Check<ImageSignatureSubject>
{
    public override Rule Rule { get; } = new()
    {
        Id = "SIG-002",
        Title = "Image rejected by the signature policy",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "Evaluated as containers/image evaluates containers-policy.json (the most specific scope of the image's transport, every requirement of it must accept), the policy rejects the image: podman, CRI-O and skopeo using this policy would refuse to pull or run it. The message names the scope and each requirement's reason (reject, no signature, wrong key, manifest digest or identity mismatch).",
        Remediation = "Pull the image from the source the policy trusts, have it signed with a key the policy names (and for the identity its signedIdentity expects), or change the policy if the rejection is wrong. `strata policy check --policy FILE IMAGE` shows the decision in detail.",
        References =
        [
            "https://github.com/containers/image/blob/main/docs/containers-policy.json.5.md",
            "https://github.com/containers/image/blob/main/signature/policy_eval.go",
        ],
        Examples =
        [
            new RuleExample("""{"default":[{"type":"reject"}]}""", true, "every image is rejected"),
            new RuleExample("""{"default":[{"type":"sigstoreSigned","keyPath":"/etc/pki/cosign.pub"}]} with an unsigned image""", true),
            new RuleExample("""{"default":[{"type":"insecureAcceptAnything"}]}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageSignatureSubject subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Decision.Accepted)
        {
            yield break;
        }

        var reasons = string.Join("; ", subject.Decision.Results.Where(r => !r.Accepted).Select(r => $"{r.Requirement.Type}: {r.Reason}"));
        yield return Finding.For(
            Rule,
            context.Target,
            new Location { File = subject.PolicyPath, JsonPath = subject.Decision.Scope, Subject = subject.Image.ManifestDigest.ToString() },
            $"the policy {subject.PolicyPath} rejects {subject.Image.Name} (scope {subject.Decision.Scope}): {reasons}");
    }
}
