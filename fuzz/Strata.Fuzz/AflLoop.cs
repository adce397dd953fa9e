namespace Strata.Fuzz;

using SharpFuzz;

/// <summary>Hands one target to SharpFuzz's fork server, which afl-fuzz drives through its pipes and shared memory.</summary>
public static class AflLoop
{
    public static void Run(IFuzzTarget target)
    {
        // Out of process: the loop survives what kills a .NET process (stack overflow, out of memory) and reports it as a crash.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);

            // SharpFuzz's callback is synchronous; the targets are async because the layer reader is.
            FuzzTargets.RunAsync(target, buffer.ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        });
    }
}
