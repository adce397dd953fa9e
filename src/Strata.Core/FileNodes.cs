namespace Strata.Core;

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

/// <summary>What kind of node a path names; .NET's FileAttributes cannot tell a FIFO or a device from a regular file.</summary>
public enum FileNodeType
{
    Regular,
    Directory,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
    Unknown,
}

/// <summary>What stat says about a path: its type, permission bits and size.</summary>
public readonly record struct FileNode(FileNodeType Type, int Mode, long Size)
{
    /// <summary>The type in words for messages, e.g. "a FIFO (named pipe)".</summary>
    public string Describe() => Type switch
    {
        FileNodeType.Regular => "a regular file",
        FileNodeType.Directory => "a directory",
        FileNodeType.Symlink => "a symbolic link",
        FileNodeType.CharDevice => "a character device",
        FileNodeType.BlockDevice => "a block device",
        FileNodeType.Fifo => "a FIFO (named pipe)",
        FileNodeType.Socket => "a socket",
        _ => "not a regular file",
    };
}

/// <summary>
/// stat(2), faccessat(2) and a non-blocking open(2): the file-type facts .NET does not expose, and an open that
/// cannot hang on a FIFO (opening one for reading blocks until a writer appears; O_NONBLOCK returns at once).
/// struct statx has the same layout on every Linux architecture, unlike struct stat.
/// </summary>
public static partial class FileNodes
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const int AtEffectiveAccess = 0x200;
    private const int WriteAccess = 2;
    private const uint StatxTypeModeSize = 0x1 | 0x2 | 0x200;
    private const int StatxSize = 256;
    private const int OpenReadOnlyNonBlocking = 0x800 | 0x100 | 0x80000; // O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
    private const int NoSuchFile = 2; // ENOENT
    private const int NotADirectory = 20; // ENOTDIR

    /// <summary>stat (or lstat without <paramref name="followLinks"/>); null when nothing is there.</summary>
    /// <exception cref="IOException">The path cannot be examined (permission, loop, …).</exception>
    public static FileNode? Stat(string path, bool followLinks = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        var buffer = new byte[StatxSize];
        if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxTypeModeSize, buffer) == 0)
        {
            return Decode(buffer);
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is NoSuchFile or NotADirectory ? null : throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
    }

    /// <summary>Whether the caller may write the file, by its permission bits and the effective user (faccessat with AT_EACCESS).</summary>
    public static bool IsWritable(string path) => FaccessAt(AtFdCwd, path, WriteAccess, AtEffectiveAccess) == 0;

    /// <summary>
    /// Opens <paramref name="path"/> for reading only if it is a regular file (symlinks followed). The type is taken from
    /// the opened descriptor, so there is no window between the check and the open, and a FIFO never blocks the open.
    /// </summary>
    /// <param name="label">Names the file in messages (default: the path).</param>
    /// <param name="failure">The exit code of the refusals: usage when the user named the file, error when an image holds it.</param>
    public static FileStream OpenRegular(string path, string? label = null, ExitCode failure = ExitCode.Usage, int bufferSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(path);
        label ??= path;
        var fd = Open(path, OpenReadOnlyNonBlocking);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new StrataException(
                errno is NoSuchFile or NotADirectory ? $"{label}: no such file." : $"{label}: cannot read: {Marshal.GetPInvokeErrorMessage(errno)}.",
                failure);
        }

        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        try
        {
            var buffer = new byte[StatxSize];
            if (Statx(fd, string.Empty, AtEmptyPath, StatxTypeModeSize, buffer) != 0)
            {
                throw new StrataException($"{label}: cannot read: {Marshal.GetLastPInvokeErrorMessage()}.", failure);
            }

            var node = Decode(buffer);
            if (node.Type != FileNodeType.Regular)
            {
                throw new StrataException($"{label}: is {node.Describe()}, not a regular file; refusing to read it.", failure);
            }

            // O_NONBLOCK means nothing for a regular file's reads, so the descriptor is used as it is.
            return new FileStream(handle, FileAccess.Read, bufferSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static FileNode Decode(ReadOnlySpan<byte> statx)
    {
        int mode = BitConverter.ToUInt16(statx[28..]);
        var type = (mode & 0xF000) switch
        {
            0x8000 => FileNodeType.Regular,
            0x4000 => FileNodeType.Directory,
            0xA000 => FileNodeType.Symlink,
            0x2000 => FileNodeType.CharDevice,
            0x6000 => FileNodeType.BlockDevice,
            0x1000 => FileNodeType.Fifo,
            0xC000 => FileNodeType.Socket,
            _ => FileNodeType.Unknown,
        };
        return new FileNode(type, mode & 0xFFF, (long)BitConverter.ToUInt64(statx[40..]));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "faccessat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FaccessAt(int dirFd, string path, int mode, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
