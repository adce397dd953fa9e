namespace Strata.Oci.Extraction;

using System.Runtime.InteropServices;

/// <summary>
/// The POSIX calls extraction makes itself: hard links, ownership without following links, rename, and a file's
/// whole life on one descriptor (open, write, fchown, fchmod, futimens, close), which saves the path lookups, the
/// advisory lock, the preallocation and the thread-pool hop a FileStream costs per file.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const int Interrupted = 4; // EINTR
    internal const int Exists = 17; // EEXIST

    // O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC: never follows or reuses what is already at the path.
    private const int CreateNewForWriting = 0x1 | 0x40 | 0x80 | 0x20000 | 0x80000;

    // struct timespec's tv_nsec that leaves a time unchanged.
    private const long TimeOmit = (1L << 30) - 2;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LChown(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Rename(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "symlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Symlink(string target, string linkPath);

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MakeDirectory(string path, int mode);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    internal static partial int FChown(int fd, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int FChmod(int fd, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    internal static string LastError() => Marshal.GetLastPInvokeErrorMessage();

    /// <summary>Creates a new regular file (mode 0600) for writing; -1 with errno set when the path exists or cannot be made.</summary>
    internal static int CreateNew(string path) => Open(path, CreateNewForWriting, 0x180);

    /// <summary>Writes all of <paramref name="data"/>; false with errno set on failure.</summary>
    internal static bool WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                var written = Write(fd, start + offset, (nuint)(data.Length - offset));
                if (written < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Interrupted)
                    {
                        continue;
                    }

                    return false;
                }

                offset += (int)written;
            }
        }

        return true;
    }

    /// <summary>Sets the modification time (to the millisecond), leaving the access time as it is.</summary>
    internal static int SetModifiedTime(int fd, DateTimeOffset modified)
    {
        var milliseconds = modified.ToUnixTimeMilliseconds();
        var seconds = Math.DivRem(milliseconds, 1000, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += 1000;
        }

        var times = stackalloc long[4] { 0, TimeOmit, seconds, rest * 1_000_000 };
        return SetTimes(fd, times);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte* data, nuint count);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static partial int SetTimes(int fd, long* times);
}
