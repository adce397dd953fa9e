namespace Strata.Core;

using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

/// <summary>
/// An open directory (Linux), and its children reached by name through it (openat, statx, readlinkat, readdir on the
/// descriptor): a walk through handles has no path-length limit (PATH_MAX is 4096 bytes, a tree can be deeper), and
/// never follows a symbolic link, so it cannot leave the tree it started in. Names are raw bytes, as the kernel keeps
/// them: a name that is not valid UTF-8 is still reachable.
/// </summary>
public sealed partial class DirectoryHandle : IDisposable
{
    /// <summary>ESTALE: what <see cref="OpenFile"/> reports when the name no longer holds the node it was examined as.</summary>
    public const int Stale = 116;

    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC
    private const int NonBlockingNoTty = 0x800 | 0x100; // O_NONBLOCK | O_NOCTTY: a FIFO swapped in cannot block the open
    private const int LengthOffset = 16; // struct dirent: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name
    private const int NameOffset = 19;

    private static readonly byte[] EmptyName = [0];

    /// <summary>O_DIRECTORY and O_NOFOLLOW: their values differ between architectures (ARM and POWER have their own).</summary>
    private static readonly (int Directory, int NoFollow) Flags =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le
            ? (0x4000, 0x8000)
            : (0x10000, 0x20000);

    private readonly SafeFileHandle handle;

    private DirectoryHandle(SafeFileHandle handle, FileStatus status)
    {
        this.handle = handle;
        Status = status;
    }

    /// <summary>What the directory itself is (its identity among others: <see cref="FileStatus.IsSameNode"/>).</summary>
    public FileStatus Status { get; }

    private int Fd => (int)handle.DangerousGetHandle();

    /// <summary>Opens a directory by path; a symbolic link as the last component is refused, not followed.</summary>
    /// <exception cref="IOException">It cannot be opened or is not a directory (the system's reason, errno as HResult).</exception>
    public static DirectoryHandle Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fd = OpenAt(-100, Terminated(Encoding.UTF8.GetBytes(path)), ReadOnlyCloseOnExec | Flags.Directory | Flags.NoFollow, 0);
        return fd >= 0 ? Wrap(fd) : throw LastError();
    }

    /// <summary>Opens the child directory <paramref name="name"/>; null (with errno) when it cannot be opened or is not a directory, a symlink included.</summary>
    public DirectoryHandle? OpenDirectory(ReadOnlySpan<byte> name, out int errno)
    {
        var fd = OpenAt(Fd, Terminated(name), ReadOnlyCloseOnExec | Flags.Directory | Flags.NoFollow, 0);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : Wrap(fd);
    }

    /// <summary>lstat of the child <paramref name="name"/>; false (with errno) when it cannot be examined.</summary>
    public bool TryStat(ReadOnlySpan<byte> name, out FileStatus status, out int errno)
    {
        var buffer = new byte[FileNodes.StatxSize];
        if (FileNodes.Statx(Fd, Terminated(name), AtSymlinkNoFollow, FileNodes.StatxBasicStats, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            status = default;
            return false;
        }

        errno = 0;
        status = FileNodes.DecodeStatus(buffer);
        return true;
    }

    /// <summary>
    /// Opens the child <paramref name="name"/> for reading if it is still the regular file <paramref name="expected"/>
    /// (never following a link, never blocking on a FIFO swapped in since); null with errno otherwise.
    /// </summary>
    public FileStream? OpenFile(ReadOnlySpan<byte> name, FileStatus expected, out int errno)
    {
        var fd = OpenAt(Fd, Terminated(name), ReadOnlyCloseOnExec | Flags.NoFollow | NonBlockingNoTty, 0);
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        var file = new SafeFileHandle(fd, ownsHandle: true);
        var opened = StatusOf(fd, out errno);
        if (opened is not { Type: FileNodeType.Regular } status || !status.IsSameNode(expected))
        {
            file.Dispose();
            errno = errno == 0 ? Stale : errno;
            return null;
        }

        return new FileStream(file, FileAccess.Read);
    }

    /// <summary>The target of the symbolic link <paramref name="name"/> (UTF-8, invalid bytes replaced); null when it cannot be read.</summary>
    public string? ReadLink(ReadOnlySpan<byte> name)
    {
        var buffer = new byte[4096];
        var length = ReadLinkAt(Fd, Terminated(name), buffer, buffer.Length);
        return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    /// <summary>The names in the directory, without <c>.</c> and <c>..</c>, in the order the filesystem gives them.</summary>
    /// <exception cref="IOException">The directory cannot be listed.</exception>
    public unsafe List<byte[]> ReadNames()
    {
        // readdir works on its own descriptor (closedir closes it), at the start whatever was read before.
        var copy = Dup(Fd);
        if (copy < 0)
        {
            throw LastError();
        }

        var stream = FdOpenDir(copy);
        if (stream == IntPtr.Zero)
        {
            var error = LastError();
            _ = Close(copy);
            throw error;
        }

        try
        {
            RewindDir(stream);
            var names = new List<byte[]>();
            while (true)
            {
                var entry = ReadDir(stream);
                if (entry == IntPtr.Zero)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    return errno == 0 ? names : throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
                }

                // The name ends at its NUL, within the record (d_reclen bytes); reading no further stays inside the buffer.
                var record = *(ushort*)((byte*)entry + LengthOffset);
                var name = new ReadOnlySpan<byte>((byte*)entry + NameOffset, Math.Max(0, record - NameOffset));
                var end = name.IndexOf((byte)0);
                name = end < 0 ? name : name[..end];
                if (name is not [(byte)'.'] and not [(byte)'.', (byte)'.'])
                {
                    names.Add(name.ToArray());
                }
            }
        }
        finally
        {
            _ = CloseDir(stream);
        }
    }

    public void Dispose() => handle.Dispose();

    private static DirectoryHandle Wrap(int fd)
    {
        var owned = new SafeFileHandle(fd, ownsHandle: true);
        var status = StatusOf(fd, out var errno);
        if (status is not { Type: FileNodeType.Directory } directory)
        {
            owned.Dispose();
            throw new IOException(errno == 0 ? "Not a directory" : Marshal.GetPInvokeErrorMessage(errno), errno == 0 ? 20 : errno);
        }

        return new DirectoryHandle(owned, directory);
    }

    private static FileStatus? StatusOf(int fd, out int errno)
    {
        var buffer = new byte[FileNodes.StatxSize];
        if (FileNodes.Statx(fd, EmptyName, AtEmptyPath | AtSymlinkNoFollow, FileNodes.StatxBasicStats, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        errno = 0;
        return FileNodes.DecodeStatus(buffer);
    }

    private static IOException LastError()
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
    }

    private static byte[] Terminated(ReadOnlySpan<byte> name)
    {
        var bytes = new byte[name.Length + 1];
        name.CopyTo(bytes);
        return bytes;
    }

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static partial int OpenAt(int dirFd, byte[] path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true)]
    private static partial nint ReadLinkAt(int dirFd, byte[] path, [Out] byte[] buffer, nint size);

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fdopendir", SetLastError = true)]
    private static partial IntPtr FdOpenDir(int fd);

    [LibraryImport("libc", EntryPoint = "rewinddir")]
    private static partial void RewindDir(IntPtr stream);

    [LibraryImport("libc", EntryPoint = "readdir", SetLastError = true)]
    private static partial IntPtr ReadDir(IntPtr stream);

    [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
    private static partial int CloseDir(IntPtr stream);
}
