namespace Strata.Fuzz.Targets;

using Strata.Core.Targets;
using Strata.Images.Dockerfile;

/// <summary>A Dockerfile scanned as <c>strata scan dockerfile:FILE</c> scans it: parsed, evaluated, linted, searched for secrets.</summary>
public sealed class DockerfileTarget : IFuzzTarget
{
    public string Name => "dockerfile";

    public string Covers => "Images/Dockerfile: DockerfileParser (directives, continuations, heredocs, JSON form), DockerfileEvaluator, ShellLexer, ShellScript, every DKF check, the secret rules";

    public async ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var path = ScratchDirectory.Write("Dockerfile", input);
        await new DockerfileScanner(Scanners.Secrets).ScanAsync(new ScanTarget(TargetKind.Dockerfile, "Dockerfile", path), Scanners.Context, cancellationToken);
    }
}
