namespace Strata.Runtime.Engines;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;

/// <summary>
/// A check of containerd's CRI plugin (what Kubernetes uses). Config version 3 (containerd 2.x) keeps the runtime
/// settings under <c>plugins."io.containerd.cri.v1.runtime"</c>; versions 1 and 2 (containerd 1.x) under
/// <c>plugins."io.containerd.grpc.v1.cri"</c>. The checks do not apply when the plugin is disabled (as Docker's own
/// containerd configuration does).
/// </summary>
public abstract class CriPluginCheck : Check<EngineConfig>
{
    public const string V2Plugin = "io.containerd.grpc.v1.cri";
    public const string V3RuntimePlugin = "io.containerd.cri.v1.runtime";

    /// <summary>The configuration layout version (<c>version = N</c>; 1 when absent, as containerd reads it).</summary>
    public static long VersionOf(EngineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Number("version") ?? 1;
    }

    /// <summary>The key path of the CRI runtime settings for the file's layout.</summary>
    public static string[] Runtime(EngineConfig config) => VersionOf(config) >= 3 ? ["plugins", V3RuntimePlugin] : VersionOf(config) == 2 ? ["plugins", V2Plugin] : ["plugins", "cri"];

    /// <summary>The keys of a setting of the CRI runtime, e.g. <c>enable_selinux</c>.</summary>
    public static string[] Setting(EngineConfig config, params string[] keys) => [.. Runtime(config), .. keys];

    public override bool AppliesTo(EngineConfig subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var disabled = (subject.Strings("disabled_plugins") ?? []).Select(v => (string)v.Value).FirstOrDefault(p => p is "cri" or V2Plugin or V3RuntimePlugin);
        reason = disabled is null ? null : $"the CRI plugin is disabled (disabled_plugins has \"{disabled}\")";
        return disabled is null;
    }

    protected Finding Report(EngineConfig subject, CheckContext context, string[] keys, string message)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        return Finding.For(Rule, context.Target, subject.At(keys), message);
    }
}
