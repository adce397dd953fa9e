namespace Strata.Images.Hardening;

using System.Runtime.InteropServices;

/// <summary>
/// statx(2), for what .NET does not expose about a file without following links: owner, group and the full mode.
/// struct statx has the same layout on every Linux architecture, unlike struct stat; its fields are in native byte order.
/// </summary>
internal static partial class NativeMethods
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;

    /// <summary>lstat-like facts of one path; false (with the error) when it cannot be read.</summary>
    public static bool TryLstat(string path, out FileStatus status, out string error)
    {
        var buffer = new byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            status = default;
            error = Marshal.GetLastPInvokeErrorMessage();
            return false;
        }

        ReadOnlySpan<byte> span = buffer;
        status = new FileStatus(
            Mode: BitConverter.ToUInt16(span[28..]),
            Uid: BitConverter.ToUInt32(span[20..]),
            Gid: BitConverter.ToUInt32(span[24..]),
            Size: (long)BitConverter.ToUInt64(span[40..]),
            ModifiedSeconds: BitConverter.ToInt64(span[112..]),
            DeviceMajor: (int)BitConverter.ToUInt32(span[128..]),
            DeviceMinor: (int)BitConverter.ToUInt32(span[132..]));
        error = string.Empty;
        return true;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, [Out] byte[] buffer);
}

/// <summary>What statx says about a path. <see cref="Mode"/> holds the type bits (S_IFMT) and the permission bits.</summary>
internal readonly record struct FileStatus(int Mode, long Uid, long Gid, long Size, long ModifiedSeconds, int DeviceMajor, int DeviceMinor);
