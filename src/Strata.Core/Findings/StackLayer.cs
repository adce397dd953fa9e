namespace Strata.Core.Findings;

/// <summary>The layer of the container stack a rule or finding belongs to.</summary>
public enum StackLayer
{
    Kernel,
    Image,
    Runtime,
    Orchestrator,
    Application,
}

public static class StackLayerNames
{
    public static string ToName(this StackLayer layer) => layer switch
    {
        StackLayer.Kernel => "kernel",
        StackLayer.Image => "image",
        StackLayer.Runtime => "runtime",
        StackLayer.Orchestrator => "orchestrator",
        StackLayer.Application => "application",
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };

    public static bool TryParse(string text, out StackLayer layer)
    {
        foreach (var candidate in Enum.GetValues<StackLayer>())
        {
            if (string.Equals(candidate.ToName(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                layer = candidate;
                return true;
            }
        }

        layer = StackLayer.Kernel;
        return false;
    }
}
