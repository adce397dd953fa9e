namespace Strata.Fuzz;

/// <summary>
/// Shrinks a crashing input in-process (delta debugging: drop ever smaller chunks while the same defect remains),
/// so a finding becomes a regression test of a few bytes.
/// </summary>
public static class Minimizer
{
    /// <summary>The smallest input found that still fails with the defect of <paramref name="input"/>, or null when it does not fail.</summary>
    public static async Task<byte[]?> MinimizeAsync(IFuzzTarget target, byte[] input, CancellationToken cancellationToken)
    {
        var defect = await DefectAsync(target, input, cancellationToken);
        if (defect is null)
        {
            return null;
        }

        var current = input;
        var chunks = 2;
        while (current.Length > 1)
        {
            var size = Math.Max(1, current.Length / chunks);
            var shrunk = false;
            for (var start = 0; start < current.Length; start += size)
            {
                byte[] candidate = [.. current.AsSpan(0, start), .. current.AsSpan(Math.Min(current.Length, start + size))];
                if (candidate.Length > 0 && await DefectAsync(target, candidate, cancellationToken) == defect)
                {
                    current = candidate;
                    chunks = Math.Max(chunks - 1, 2);
                    shrunk = true;
                    break;
                }
            }

            if (!shrunk)
            {
                if (size == 1)
                {
                    break;
                }

                chunks = Math.Min(current.Length, chunks * 2);
            }
        }

        return current;
    }

    /// <summary>The defect's exception type and innermost frame, or null when the input is handled.</summary>
    private static async Task<string?> DefectAsync(IFuzzTarget target, byte[] input, CancellationToken cancellationToken)
    {
        try
        {
            await FuzzTargets.RunAsync(target, input, cancellationToken);
            return null;
        }
        catch (Exception error)
        {
            var frame = new System.Diagnostics.StackTrace(error).GetFrames().FirstOrDefault()?.GetMethod();
            return $"{error.GetType().FullName} at {frame?.DeclaringType?.FullName}.{frame?.Name}";
        }
    }
}
