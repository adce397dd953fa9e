namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel;

public sealed class DangerousCapabilitiesGranted : IRuntimeConfigCheck
{
    private static readonly string[] Sets = ["bounding", "effective", "permitted", "inheritable", "ambient"];

    public Rule Rule { get; } = new()
    {
        Id = "CAP-002",
        Title = "Container is granted capabilities that reach the host",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "The container's capability sets include capabilities that break isolation. CAP_SYS_ADMIN reaches mount, unshare/clone of new namespaces, BPF and hundreds of other kernel paths; CAP_SYS_MODULE loads kernel code; CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH read other processes and files; CAP_NET_ADMIN reconfigures the network.",
        Remediation = "Grant only the capabilities the application needs (usually none, or CAP_NET_BIND_SERVICE): `--cap-drop=ALL --cap-add=…`, in Kubernetes `capabilities: {drop: [ALL]}`.",
        References = ["https://man7.org/linux/man-pages/man7/capabilities.7.html"],
    };

    public IEnumerable<Finding> Evaluate(RuntimeConfig config, string target)
    {
        ArgumentNullException.ThrowIfNull(config);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in Sets)
        {
            if (config.Get("process.capabilities." + set) is not { ValueKind: JsonValueKind.Array } list)
            {
                continue;
            }

            var index = 0;
            foreach (var element in list.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.String)
                {
                    var name = Capabilities.Normalize(element.GetString()!);
                    if (Capabilities.Dangerous.Contains(name) && reported.Add(name))
                    {
                        var path = $"$.process.capabilities.{set}[{index}]";
                        yield return Finding.For(Rule, target, new Location { File = config.File, JsonPath = path, Line = config.Source.LineOf(path), Subject = name }, $"{name} is in the {set} set.", Evidence.Plain(name));
                    }
                }

                index++;
            }
        }
    }
}
