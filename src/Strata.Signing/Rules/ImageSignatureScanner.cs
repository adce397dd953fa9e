namespace Strata.Signing.Rules;

using Microsoft.Extensions.Logging;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Oci;
using Strata.Signing.Policy;

/// <summary>
/// The SIG- checks of an image against a containers-policy.json (<c>strata scan --policy FILE</c>): its signatures read
/// where containers/image reads them, the policy evaluated as it evaluates it. Added to the run's scanners only when a
/// policy is given, since signatures mean nothing without the keys a policy trusts.
/// </summary>
public sealed partial class ImageSignatureScanner(ContainersPolicy policy, string policyPath, PolicySignatureSources sources, ImageOpenOptions openOptions) : ITargetScanner
{
    private static readonly IReadOnlySet<TargetKind> ImageKinds = new HashSet<TargetKind> { TargetKind.Image };

    public string Name => "signatures";

    public IReadOnlySet<TargetKind> Kinds => ImageKinds;

    public IReadOnlyList<Check<ImageSignatureSubject>> Checks { get; } = [new ImageNotSigned(), new RejectedByPolicy(), new InvalidSignature()];

    public IEnumerable<Rule> Rules => Checks.Select(c => c.Rule);

    public async Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var name = PolicyImageName.Parse(target.Locator);
        var image = await PolicyImageLoader.LoadAsync(name, sources, openOptions, cancellationToken).ConfigureAwait(false);
        var decision = await PolicyEvaluator.EvaluateAsync(policy, image, cancellationToken).ConfigureAwait(false);
        LogDecision(context.Logger, target.Name, decision.Scope, decision.Accepted);
        return CheckRunner.Run(Checks, new ImageSignatureSubject(image, decision, policyPath), context.ChecksOf(target.Name), context.Logger, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Target}: signature policy scope {Scope}, accepted: {Accepted}")]
    private static partial void LogDecision(ILogger logger, string target, string scope, bool accepted);
}
