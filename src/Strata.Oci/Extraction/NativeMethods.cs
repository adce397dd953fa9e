namespace Strata.Oci.Extraction;

using System.Runtime.InteropServices;

/// <summary>The few POSIX calls .NET does not expose: hard links, ownership without following links, rename.</summary>
internal static partial class NativeMethods
{
    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LChown(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Rename(string oldPath, string newPath);

    internal static string LastError() => Marshal.GetLastPInvokeErrorMessage();
}
