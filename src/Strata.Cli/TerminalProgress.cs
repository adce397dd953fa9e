namespace Strata.Cli;

using Strata.Core.Scanning;

/// <summary>One self-overwriting progress line on a terminal's stderr.</summary>
internal sealed class TerminalProgress(TextWriter error) : IProgress<ScanProgress>
{
    public void Report(ScanProgress value)
    {
        lock (error)
        {
            if (value.Done >= value.Total)
            {
                error.Write("\r\u001b[K");
                return;
            }

            var step = value.Step.Length > 70 ? value.Step[..70] + "…" : value.Step;
            error.Write($"\r\u001b[K[{value.Done + 1}/{value.Total}] {step}");
        }
    }
}
