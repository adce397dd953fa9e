namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel;
using Strata.Kernel.Capabilities;

public sealed class DangerousCapabilitiesGranted : Check<RuntimeConfig>
{
    private static readonly string[] Sets = ["bounding", "effective", "permitted", "inheritable", "ambient"];

    public override Rule Rule { get; } = new()
    {
        Id = "CAP-002",
        Title = "Container is granted capabilities that reach the host",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "The container's capability sets include capabilities that break isolation. CAP_SYS_ADMIN reaches mount, unshare/clone of new namespaces, BPF and hundreds of other kernel paths; CAP_SYS_MODULE loads kernel code; CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH read other processes and files; CAP_NET_ADMIN reconfigures the network.",
        Remediation = "Grant only the capabilities the application needs (usually none, or CAP_NET_BIND_SERVICE): `--cap-drop=ALL --cap-add=…`, in Kubernetes `capabilities: {drop: [ALL]}`.",
        References = ["https://man7.org/linux/man-pages/man7/capabilities.7.html"],
        Examples =
        [
            new RuleExample("""{"process": {"capabilities": {"bounding": ["CAP_CHOWN", "CAP_SYS_ADMIN"], "effective": ["CAP_CHOWN", "CAP_SYS_ADMIN"]}}}""", true),
            new RuleExample("""{"process": {"capabilities": {"bounding": ["CAP_CHOWN", "CAP_NET_BIND_SERVICE"], "effective": ["CAP_NET_BIND_SERVICE"]}}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in Sets)
        {
            if (subject.Get("process.capabilities." + set) is not { ValueKind: JsonValueKind.Array } list)
            {
                continue;
            }

            var index = 0;
            foreach (var element in list.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.String)
                {
                    var name = CapabilityCatalog.Normalize(element.GetString()!);
                    if (CapabilityCatalog.Dangerous.Contains(name) && reported.Add(name))
                    {
                        var path = $"$.process.capabilities.{set}[{index}]";
                        yield return Finding.For(Rule, context.Target, new Location { File = subject.File, JsonPath = path, Line = subject.Source.LineOf(path), Subject = name }, $"{name} is in the {set} set.", Evidence.Plain(name));
                    }
                }

                index++;
            }
        }
    }
}
