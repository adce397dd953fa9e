namespace Strata.Cli;

using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>
/// Writes a command's result to stdout (no --output, or <c>-</c>) or to --output FILE. Only a regular file or a new
/// path is written atomically (beside it, then renamed over it, keeping the old file's mode). Nothing else is ever
/// replaced: a device or FIFO is written directly, a symlink is followed, and a directory, a socket, a dangling
/// symlink or a read-only file is refused as a usage error.
/// </summary>
internal static class ReportOutput
{
    /// <summary>NAME_MAX: the longest file name, in bytes, Linux file systems accept.</summary>
    private const int MaxNameBytes = 255;

    private const int PermissionBits = 0x1FF;
    private const int WriteBits = 0x92;

    /// <summary>Temporary files being written now, for <see cref="RemoveUnfinished"/>.</summary>
    private static readonly ConcurrentDictionary<string, bool> Unfinished = new(StringComparer.Ordinal);

    /// <summary>
    /// Removes the temporary files of reports still being written, for an exit that skips the writers' own clean-up
    /// (a second SIGINT): no half-written report is left behind.
    /// </summary>
    public static void RemoveUnfinished()
    {
        foreach (var path in Unfinished.Keys)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exiting anyway; nothing more can be done about it.
            }
        }
    }

    public static async Task WriteAsync(CliIo io, string? outputPath, Func<Stream, Task> write)
    {
        if (outputPath is null or "-")
        {
            await write(io.Out);
            await io.Out.FlushAsync();
            return;
        }

        var full = Path.GetFullPath(outputPath, io.WorkingDirectory);
        var destination = Choose(outputPath, full);
        if (destination.Direct)
        {
            await WriteDirectAsync(outputPath, destination.Path, write);
        }
        else
        {
            await WriteReplacingAsync(outputPath, destination.Path, destination.Mode, write);
        }
    }

    /// <summary>Where and how to write: the path to write (a symlink's final target) and whether to replace it or write into it.</summary>
    private static Destination Choose(string outputPath, string full)
    {
        var name = Path.GetFileName(full);
        if (name.Length == 0)
        {
            throw StrataException.Usage($"--output {Shorten(outputPath)}: names a directory, not a file.");
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            throw StrataException.Usage($"--output {Shorten(outputPath)}: the file name is {Encoding.UTF8.GetByteCount(name)} bytes, more than the {MaxNameBytes} a file name may have.");
        }

        var node = StatOrRefuse(outputPath, full, followLinks: false);
        if (node is null)
        {
            var directory = Path.GetDirectoryName(full)!;
            if (!Directory.Exists(directory))
            {
                throw StrataException.Usage($"--output {Shorten(outputPath)}: directory {Redaction.Quote(directory, 200)} does not exist.");
            }

            return new Destination(full, Direct: false, Mode: null);
        }

        if (node.Value.Type == FileNodeType.Symlink)
        {
            // Follow the link to what it names; the link itself is never replaced.
            var target = StatOrRefuse(outputPath, full, followLinks: true)
                ?? throw StrataException.Usage($"--output {Shorten(outputPath)}: is a symbolic link to a file that does not exist; refusing to create a file through it.");
            if (target.Type == FileNodeType.Regular)
            {
                var resolved = ResolveLink(outputPath, full);
                var resolvedNode = StatOrRefuse(outputPath, resolved, followLinks: false);
                if (resolvedNode?.Type != FileNodeType.Regular)
                {
                    throw StrataException.Usage($"--output {Shorten(outputPath)}: is a symbolic link whose target cannot be resolved to a regular file.");
                }

                return ForExisting(outputPath, resolved, resolvedNode.Value);
            }

            return ForExisting(outputPath, full, target);
        }

        return ForExisting(outputPath, full, node.Value);
    }

    private static Destination ForExisting(string outputPath, string path, FileNode node)
    {
        switch (node.Type)
        {
            case FileNodeType.Regular:
                if ((node.Mode & WriteBits) == 0 || !FileNodes.IsWritable(path))
                {
                    throw StrataException.Usage($"--output {Shorten(outputPath)}: {Redaction.Quote(path, 200)} is read-only; refusing to replace it.");
                }

                return new Destination(path, Direct: false, Mode: node.Mode & PermissionBits);
            case FileNodeType.CharDevice or FileNodeType.BlockDevice or FileNodeType.Fifo:
                return new Destination(path, Direct: true, Mode: null);
            default:
                throw StrataException.Usage($"--output {Shorten(outputPath)}: is {node.Describe()}; a report can only go to a file, a device or a FIFO.");
        }
    }

    private static async Task WriteDirectAsync(string outputPath, string path, Func<Stream, Task> write)
    {
        FileStream stream;
        try
        {
            // Open, never create or truncate: a device or FIFO stays what it is.
            stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, Share = FileShare.ReadWrite });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.Usage($"--output {Shorten(outputPath)}: cannot open it for writing: {Reason(e)}.");
        }

        await using (stream)
        {
            await write(stream);
        }
    }

    private static async Task WriteReplacingAsync(string outputPath, string target, int? mode, Func<Stream, Task> write)
    {
        // Write beside the target, then rename: a failed or interrupted run leaves no half-written report. The
        // temporary name is short, so a long target name cannot make it too long.
        var directory = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(directory, $".strata-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (mode is int bits && !OperatingSystem.IsWindows())
        {
            // Never more open than the file it replaces, even while it is written (the umask may only narrow it).
            options.UnixCreateMode = (UnixFileMode)bits;
        }

        FileStream stream;
        try
        {
            Unfinished[temporary] = true;
            stream = new FileStream(temporary, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Unfinished.TryRemove(temporary, out _);
            throw StrataException.Usage($"--output {Shorten(outputPath)}: cannot create a file in {Redaction.Quote(directory, 200)}: {Reason(e)}.");
        }

        try
        {
            await using (stream)
            {
                await write(stream);
            }

            if (mode is int exact && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, (UnixFileMode)exact);
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            Unfinished.TryRemove(temporary, out _);
        }
    }

    private static FileNode? StatOrRefuse(string outputPath, string path, bool followLinks)
    {
        try
        {
            return FileNodes.Stat(path, followLinks);
        }
        catch (IOException e)
        {
            throw StrataException.Usage($"--output {Shorten(outputPath)}: cannot examine {Redaction.Quote(path, 200)}: {e.Message}.");
        }
    }

    private static string ResolveLink(string outputPath, string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException e)
        {
            throw StrataException.Usage($"--output {Shorten(outputPath)}: is a symbolic link that cannot be followed: {Reason(e)}.");
        }
    }

    /// <summary>The system's reason without .NET's wording or the path it appends (the message names the path already).</summary>
    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException { InnerException: IOException { HResult: > 0 and < 4096 } inner } => Marshal.GetPInvokeErrorMessage(inner.HResult),
        UnauthorizedAccessException => "permission denied",
        IOException { HResult: > 0 and < 4096 } io => Marshal.GetPInvokeErrorMessage(io.HResult),
        _ => e.Message,
    };

    private static string Shorten(string text) => Redaction.Quote(text, 80);

    private readonly record struct Destination(string Path, bool Direct, int? Mode);
}
