namespace Strata.Cli;

using Strata.Core;

/// <summary>Writes a command's result to stdout or, atomically, to --output FILE.</summary>
internal static class ReportOutput
{
    public static async Task WriteAsync(CliIo io, string? outputPath, Func<Stream, Task> write)
    {
        if (outputPath is null)
        {
            await write(io.Out);
            await io.Out.FlushAsync();
            return;
        }

        var full = Path.GetFullPath(outputPath);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw StrataException.Usage($"--output {outputPath}: directory {directory} does not exist.");
        }

        // Write beside the target, then rename: a failed or interrupted run leaves no half-written report.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                await write(stream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
