namespace Strata.Fuzz.Targets;

using Strata.Core.Targets;
using Strata.Runtime.Config;

/// <summary>An OCI runtime config.json scanned as <c>strata scan runtime-config:FILE</c> scans it, embedded seccomp profile included.</summary>
public sealed class RuntimeConfigTarget : IFuzzTarget
{
    public string Name => "runtime-config";

    public string Covers => "Core/Documents/JsonSource, Runtime/Config/RuntimeConfig, the RUN/CAP/LSM checks, the embedded seccomp profile";

    public async ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var path = ScratchDirectory.Write("config.json", input);
        await new RuntimeConfigScanner().ScanAsync(new ScanTarget(TargetKind.RuntimeConfig, "config.json", path), Scanners.Context, cancellationToken);
    }
}
