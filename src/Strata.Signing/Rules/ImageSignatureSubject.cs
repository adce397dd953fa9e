namespace Strata.Signing.Rules;

using Strata.Signing.Policy;

/// <summary>What the SIG- checks read: the image with its signatures, and the policy's decision on it.</summary>
/// <param name="PolicyPath">The policy file the decision comes from.</param>
public sealed record ImageSignatureSubject(PolicyImage Image, PolicyDecision Decision, string PolicyPath);
