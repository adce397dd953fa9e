namespace Strata.Testing;

using Xunit;

/// <summary>FIFOs and device nodes for tests of what Strata must never block on or replace, made with the real tools.</summary>
public static class SpecialFiles
{
    /// <summary>How long an operation on a special file may take before the test calls it a hang.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(15);

    public static bool IsRoot => Environment.IsPrivilegedProcess;

    public static async Task<string> MakeFifoAsync(string path)
    {
        await ExternalTool.RunCheckedAsync("mkfifo", path);
        return path;
    }

    /// <summary>A private character device node (root only); <c>1 3</c> is what /dev/null is.</summary>
    public static async Task<string> MakeCharDeviceAsync(string path, int major = 1, int minor = 3)
    {
        await ExternalTool.RunCheckedAsync("mknod", path, "c", major.ToString(System.Globalization.CultureInfo.InvariantCulture), minor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return path;
    }

    /// <summary>Runs blocking work on the thread pool and fails instead of hanging the test run (a FIFO blocks in open).</summary>
    public static Task<T> WithinHangLimit<T>(Func<T> work) => Task.Run(work).WaitAsync(HangLimit);

    public static Task<T> WithinHangLimit<T>(Func<Task<T>> work) => Task.Run(work).WaitAsync(HangLimit);
}

/// <summary>A fact that needs root (mknod); skipped, with the reason, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(string why)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = $"needs root: {why}";
        }
    }
}
