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
/// What statx(2) says about a node: its type, the permission bits with setuid, setgid and sticky (<see cref="Mode"/>),
/// owner, size, modification time, device numbers of a device node, and the node's identity (filesystem and inode).
/// </summary>
public readonly record struct FileStatus(FileNodeType Type, int Mode, long Uid, long Gid, long Size, long ModifiedSeconds, int DeviceMajor, int DeviceMinor, ulong FileSystem, ulong Inode)
{
    /// <summary>True when both name the same node: the same inode of the same filesystem.</summary>
    public bool IsSameNode(FileStatus other) => FileSystem == other.FileSystem && Inode == other.Inode;
}

/// <summary>
/// stat(2), faccessat(2) and a non-blocking open(2): the file-type facts .NET does not expose, and an open that
/// cannot hang on a FIFO (opening one for reading blocks until a writer appears; O_NONBLOCK returns at once).
/// struct statx has the same layout on every Linux architecture, unlike struct stat.
/// </summary>
public static partial class FileNodes
{
    /// <summary>The size of the buffer statx(2) fills: struct statx, which has the same layout on every Linux architecture.</summary>
    internal const int StatxSize = 256;

    /// <summary>statx: every basic field (type, mode, owner, size, times, inode …).</summary>
    internal const uint StatxBasicStats = 0x7FF;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const int AtEffectiveAccess = 0x200;
    private const int WriteAccess = 2;
    private const int OpenReadOnlyNonBlocking = 0x800 | 0x100 | 0x80000; // O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
    private const int NoSuchFile = 2; // ENOENT
    private const int NotADirectory = 20; // ENOTDIR

    /// <summary>stat (or lstat without <paramref name="followLinks"/>); null when nothing is there.</summary>
    /// <exception cref="IOException">The path cannot be examined (permission, loop, …).</exception>
    public static FileNode? Stat(string path, bool followLinks = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        var buffer = new byte[StatxSize];
        if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer) == 0)
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
            if (Statx(fd, string.Empty, AtEmptyPath, StatxBasicStats, buffer) != 0)
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

    /// <summary>The facts of a filled struct statx; its fields are in native byte order.</summary>
    internal static FileStatus DecodeStatus(ReadOnlySpan<byte> statx)
    {
        int mode = BitConverter.ToUInt16(statx[28..]);
        return new FileStatus(
            TypeOf(mode),
            mode & 0xFFF,
            Uid: BitConverter.ToUInt32(statx[20..]),
            Gid: BitConverter.ToUInt32(statx[24..]),
            Size: (long)BitConverter.ToUInt64(statx[40..]),
            ModifiedSeconds: BitConverter.ToInt64(statx[112..]),
            DeviceMajor: (int)BitConverter.ToUInt32(statx[128..]),
            DeviceMinor: (int)BitConverter.ToUInt32(statx[132..]),
            FileSystem: ((ulong)BitConverter.ToUInt32(statx[136..]) << 32) | BitConverter.ToUInt32(statx[140..]),
            Inode: BitConverter.ToUInt64(statx[32..]));
    }

    private static FileNode Decode(ReadOnlySpan<byte> statx)
    {
        var status = DecodeStatus(statx);
        return new FileNode(status.Type, status.Mode, status.Size);
    }

    private static FileNodeType TypeOf(int mode) =>
        (mode & 0xF000) switch
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

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Statx(int dirFd, string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>statx with the path as raw bytes, NUL-terminated: a file name need not be valid UTF-8.</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    internal static partial int Statx(int dirFd, byte[] path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "faccessat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FaccessAt(int dirFd, string path, int mode, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
