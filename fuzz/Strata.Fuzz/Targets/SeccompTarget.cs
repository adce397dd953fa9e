namespace Strata.Fuzz.Targets;

using Strata.Core.Targets;
using Strata.Runtime.Seccomp;

/// <summary>A seccomp profile scanned as <c>strata scan seccomp:FILE</c> scans it.</summary>
public sealed class SeccompTarget : IFuzzTarget
{
    public string Name => "seccomp";

    public string Covers => "Core/Documents/JsonSource (line index), Runtime/Seccomp/SeccompProfile, the SCP checks";

    public async ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var path = ScratchDirectory.Write("seccomp.json", input);
        await new SeccompScanner().ScanAsync(new ScanTarget(TargetKind.SeccompProfile, "seccomp.json", path), Scanners.Context, cancellationToken);
    }
}
