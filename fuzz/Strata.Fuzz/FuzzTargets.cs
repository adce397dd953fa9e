namespace Strata.Fuzz;

using Strata.Core;
using Strata.Fuzz.Targets;

/// <summary>Every fuzz target, registered here and nowhere else.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new TarTarget(),
        new LayerTarget(),
        new OciJsonTarget(),
        new DockerArchiveTarget(),
        new DockerfileTarget(),
        new ShellTarget(),
        new KubernetesTarget(),
        new SeccompTarget(),
        new RuntimeConfigTarget(),
        new IgnoreFileTarget(),
        new SecretsConfigTarget(),
        new SecretStructuresTarget(),
        new AuthChallengeTarget(),
        new RegistryErrorTarget(),
        new TokenResponseTarget(),
        new AuthFileTarget(),
        new MediaTypeTarget(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>Runs one input; a <see cref="StrataException"/> is a rejection, anything else escapes as a defect.</summary>
    public static async ValueTask<FuzzResult> RunAsync(IFuzzTarget target, byte[] input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            await target.RunAsync(input, cancellationToken);
            return new FuzzResult(FuzzOutcome.Accepted);
        }
        catch (StrataException rejection)
        {
            return new FuzzResult(FuzzOutcome.Rejected, rejection.Message);
        }
    }
}
