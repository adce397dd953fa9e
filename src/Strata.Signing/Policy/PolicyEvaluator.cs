namespace Strata.Signing.Policy;

/// <summary>Evaluates a policy for an image: the scope's requirements, every one of which must accept.</summary>
public static class PolicyEvaluator
{
    public static async Task<PolicyDecision> EvaluateAsync(ContainersPolicy policy, PolicyImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(image);
        var (scope, requirements) = policy.RequirementsFor(image.Name);
        var results = new List<RequirementResult>(requirements.Count);

        // containers/image stops at the first rejection; all are evaluated here so that each can say why.
        foreach (var requirement in requirements)
        {
            results.Add(await requirement.EvaluateAsync(image, cancellationToken).ConfigureAwait(false));
        }

        return new PolicyDecision(image.Name, scope, results.Count > 0 && results.TrueForAll(r => r.Accepted), results);
    }
}

/// <summary>The outcome for one image: the scope used, the verdict, and each requirement's.</summary>
public sealed record PolicyDecision(PolicyImageName Image, string Scope, bool Accepted, IReadOnlyList<RequirementResult> Results)
{
    /// <summary>The first rejection's reason, or null when accepted.</summary>
    public string? FirstRejection => Results.FirstOrDefault(r => !r.Accepted)?.Reason;
}
