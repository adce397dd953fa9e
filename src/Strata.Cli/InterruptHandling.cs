namespace Strata.Cli;

using System.Runtime.InteropServices;

/// <summary>
/// SIGINT (Ctrl+C): the first cancels the run, which stops at its next check, removes what it was writing and exits
/// 130; a second ends the process at once (after removing unfinished --output files), for a run that does not stop.
/// </summary>
internal sealed class InterruptHandling : IDisposable
{
    private readonly PosixSignalRegistration registration;
    private int count;

    public InterruptHandling(CancellationTokenSource cancellation)
    {
        registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            if (Interlocked.Increment(ref count) == 1)
            {
                context.Cancel = true;

                // Callbacks run elsewhere, so none can hold up the handling of a second SIGINT.
                _ = cancellation.CancelAsync();
                return;
            }

            ReportOutput.RemoveUnfinished();

            // Not cancelled: the signal's default action ends the process, which its parent sees as ended by SIGINT (130).
            context.Cancel = false;
        });
    }

    public void Dispose() => registration.Dispose();
}
