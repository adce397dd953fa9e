namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Runtime.Recording;
using Strata.Runtime.Seccomp;

/// <summary>
/// The options `strata seccomp record` and `strata apparmor generate` share: a command to run traced, strace logs and
/// audit logs recorded before. Gathers them into one <see cref="TraceRecording"/>.
/// </summary>
internal sealed class RecordingSources
{
    public Argument<string[]> Command { get; } = new("command")
    {
        Arity = ArgumentArity.ZeroOrMore,
        Description = "The command to run and trace, after -- (all its children and threads are followed with strace -f).",
    };

    public Option<string[]> FromStrace { get; } = new("--from-strace")
    {
        HelpName = "log",
        AllowMultipleArgumentsPerToken = false,
        Description = "Also read a log written by strace -f (best with -y), e.g. one kept with --keep-trace. Repeatable.",
    };

    public Option<string?> KeepTrace { get; } = new("--keep-trace")
    {
        HelpName = "file",
        Description = "Keep the strace log of the traced command in FILE (mode 0600; read and write buffers are not in it).",
    };

    public Option<string?> Strace { get; } = new("--strace")
    {
        HelpName = "path",
        Description = "The strace binary (default: strace from PATH).",
    };

    public Option<string?> Arch { get; } = new("--arch")
    {
        HelpName = "arch",
        Description = "The architecture the recording is for (its sub-architectures are added): default this machine's.",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(FromStrace);
        command.Options.Add(KeepTrace);
        command.Options.Add(Strace);
        command.Options.Add(Arch);
        command.Arguments.Add(Command);
    }

    public SyscallTable Table(ParseResult parse) =>
        parse.GetValue(Arch) is { } text
            ? SyscallTable.Find(text) ?? throw StrataException.Usage($"--arch '{Redaction.Quote(text, 40)}': expected one of {string.Join(", ", SyscallTable.All.Select(t => t.Name))}.")
            : SyscallTable.Host ?? throw StrataException.Usage($"This machine's architecture has no syscall table; give --arch ({string.Join(", ", SyscallTable.All.Select(t => t.Name))}).");

    public bool HasCommand(ParseResult parse) => parse.GetValue(Command) is { Length: > 0 };

    /// <summary>Runs the command (if any) traced and reads every log given; reports what it did on stderr.</summary>
    public async Task<TraceRecording> GatherAsync(ParseResult parse, CliIo io, CancellationToken cancellationToken)
    {
        var table = Table(parse);
        var recording = new TraceRecording();
        foreach (var log in parse.GetValue(FromStrace) ?? [])
        {
            var path = Path.GetFullPath(log, io.WorkingDirectory);
            using var reader = OpenText(log, path);
            recording.Merge(await StraceLog.ReadAsync(reader, table, io.WorkingDirectory, cancellationToken));
        }

        if (parse.GetValue(Command) is { Length: > 0 } command)
        {
            var keep = parse.GetValue(KeepTrace) is { } kept ? Path.GetFullPath(kept, io.WorkingDirectory) : null;
            var log = keep ?? Path.Combine(Path.GetTempPath(), $"strata-trace-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}.log");
            try
            {
                // Created empty and private first: strace appends to what is there, and the log names every file touched.
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using (new FileStream(log, options))
                {
                }

                await io.Error.WriteLineAsync($"strata: recording {Redaction.Quote(string.Join(' ', command), 200)} with strace -f");
                var status = await SeccompRecorder.TraceAsync(command, log, io.WorkingDirectory, parse.GetValue(Strace) ?? "strace", cancellationToken);
                using var reader = OpenText(log, log);
                var traced = await StraceLog.ReadAsync(reader, table, io.WorkingDirectory, cancellationToken);
                if (traced.SyscallLines == 0)
                {
                    throw StrataException.BadInput($"strace recorded no syscalls (exit status {status}): is ptrace allowed here (a container needs CAP_SYS_PTRACE and a seccomp profile that allows ptrace)?");
                }

                await io.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"strata: the command exited with status {status}; {traced.SyscallLines} syscalls traced, {traced.Syscalls.Count} distinct"));
                recording.Merge(traced);
            }
            finally
            {
                if (keep is null && File.Exists(log))
                {
                    File.Delete(log);
                }
            }
        }

        return recording;
    }

    public static async Task WarnAsync(CliIo io, TraceRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        foreach (var warning in recording.Warnings)
        {
            await io.Error.WriteLineAsync("strata: " + warning);
        }
    }

    internal static StreamReader OpenText(string shown, string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                throw StrataException.BadInput($"{Redaction.Quote(shown, 200)}: is a directory, not a log file.");
            }

            return new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.BadInput($"{Redaction.Quote(shown, 200)}: cannot read it: {e.Message}", e);
        }
    }
}
