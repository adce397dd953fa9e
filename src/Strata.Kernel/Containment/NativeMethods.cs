namespace Strata.Kernel.Containment;

using System.Buffers.Binary;
using System.Runtime.InteropServices;

/// <summary>The Linux calls `strata inside` makes itself: statx(2) for device nodes and syscall(2) for the syscall probe.</summary>
internal static partial class NativeMethods
{
    private const int AtCurrentDirectory = -100; // AT_FDCWD
    private const int AtSymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const uint StatxTypeAndMode = 0x1 | 0x2; // STATX_TYPE | STATX_MODE

    /// <summary>The file type bits of st_mode.</summary>
    internal const int TypeMask = 0xF000;
    internal const int BlockDevice = 0x6000;
    internal const int CharacterDevice = 0x2000;
    internal const int RegularFile = 0x8000;

    /// <summary>The type and mode bits and the device number a path names (not following a last symbolic link), or null.</summary>
    /// <remarks>struct statx has the same layout on every architecture, unlike struct stat: stx_mode at 28, stx_rdev_major/minor at 128/132.</remarks>
    internal static (int Mode, uint Major, uint Minor)? Stat(string path, bool follow = false)
    {
        Span<byte> buffer = stackalloc byte[256];
        buffer.Clear();
        if (Statx(AtCurrentDirectory, path, follow ? 0 : AtSymlinkNoFollow, StatxTypeAndMode, buffer) != 0)
        {
            return null;
        }

        return (BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]), BinaryPrimitives.ReadUInt32LittleEndian(buffer[128..]), BinaryPrimitives.ReadUInt32LittleEndian(buffer[132..]));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, Span<byte> buffer);

    /// <summary>syscall(2) with six arguments; the result is -1 and the error in <see cref="Marshal.GetLastPInvokeError"/> on failure.</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);
}
