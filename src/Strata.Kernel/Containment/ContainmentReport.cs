namespace Strata.Kernel.Containment;

using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Kernel.Capabilities;

/// <summary>Text and JSON renderings of `strata inside`: the containment facts, the probed syscalls and the findings.</summary>
public static class ContainmentReport
{
    public static string Render(ContainmentView view, IReadOnlyList<Finding> findings, IReadOnlyList<SyscallResult>? syscalls, bool json)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(findings);
        return json ? Json(view, findings, syscalls) : Text(view, findings, syscalls);
    }

    private static string Text(ContainmentView view, IReadOnlyList<Finding> findings, IReadOnlyList<SyscallResult>? syscalls)
    {
        var text = new StringBuilder();
        void Line(string label, string value) => text.Append(CultureInfo.InvariantCulture, $"{label,-16}{value}\n");

        Line("Container:", view.InContainer ? view.Runtime.Describe() : "none detected: Strata does not seem to run in a container");
        foreach (var evidence in view.Runtime.Evidence)
        {
            Line(string.Empty, "- " + evidence);
        }

        Line("Privileged:", view.Privileged ? $"yes ({string.Join(", ", view.PrivilegeReasons)})"
            : view.PrivilegeReasons.Count > 0 ? $"no, but: {string.Join(", ", view.PrivilegeReasons)}" : "no");
        text.Append("Namespaces:\n");
        foreach (var ns in view.Namespaces)
        {
            var pid1 = ns.Pid1Inode is null ? "PID 1 unreadable" : ns.Pid1Inode == ns.Inode ? "same as PID 1" : "differs from PID 1";
            text.Append(CultureInfo.InvariantCulture, $"  {ns.Type,-8}{ns.Verdict,-14}{(ns.Inode?.ToString(CultureInfo.InvariantCulture) ?? "-"),-12}{pid1}\n");
        }

        Line("User mapping:", view.UidMap.Count == 0 ? "unknown (no /proc/self/uid_map)" : string.Join("; ", view.UidMap) + (view.RootIsHostRoot ? " (root here is root on the host)" : " (root here is not the host's root)"));
        Line("UID:", view.Uid?.ToString(CultureInfo.InvariantCulture) ?? "unknown");
        if (view.Capabilities is { } caps)
        {
            foreach (var (field, name, set) in caps.Sets)
            {
                Line($"  {name}:", set.IsEmpty ? "(none)" : string.Join(' ', set.Names.Select(n => n["CAP_".Length..])));
            }

            var docker = CapabilityAssessment.Of(caps.Effective, CapabilityCatalog.DefaultOf("docker")!, view.LastCap);
            Line("Capabilities:", view.AllCapabilities
                ? "every capability of this kernel (privileged-equivalent)"
                : $"{caps.Effective.Count} effective; beyond Docker's default: {(docker.Added.IsEmpty ? "none" : docker.Added.ToString())}; escape-capable: {(docker.EscapeCapable.Count == 0 ? "none" : string.Join(',', docker.EscapeCapable.Select(c => c.Name)))}");
        }
        else
        {
            Line("Capabilities:", view.CapabilitiesError ?? "unknown (no /proc/self/status)");
        }

        Line("Seccomp:", view.SeccompDescription);
        Line("NoNewPrivs:", view.NoNewPrivs switch { true => "yes", false => "no", null => "unknown" });
        Line("LSM:", view.Label.Describe());
        if (view.MountsError is not null)
        {
            Line("Mounts:", view.MountsError);
        }

        text.Append(CultureInfo.InvariantCulture, $"Exposures:       {(view.Exposures.Count == 0 ? "none found" : view.Exposures.Count.ToString(CultureInfo.InvariantCulture))}\n");
        foreach (var exposure in view.Exposures)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {exposure.Path}: {exposure.Detail}\n");
        }

        if (view.HostNetwork.Count > 0)
        {
            Line("Host network:", "interfaces " + string.Join(", ", view.HostNetwork));
        }

        if (syscalls is not null)
        {
            var refused = syscalls.Where(s => s.Outcome != SyscallOutcome.Allowed).ToList();
            text.Append(CultureInfo.InvariantCulture, $"Syscalls:        {syscalls.Count} probed, {refused.Count} refused\n");
            foreach (var call in refused)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {call.Name,-20}{Describe(call)}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"Findings:        {(findings.Count == 0 ? "none" : findings.Count.ToString(CultureInfo.InvariantCulture))}\n");
        foreach (var finding in findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {finding.Severity.ToString().ToUpperInvariant(),-9}{finding.RuleId,-9}{finding.Message}\n");
        }

        return text.ToString();
    }

    /// <summary>A refused or killed call in words.</summary>
    public static string Describe(SyscallResult call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Outcome switch
        {
            SyscallOutcome.Killed => "killed the process (seccomp SIGSYS)",
            SyscallOutcome.NotImplemented => "ENOSYS (a seccomp filter, or not in this kernel)",
            SyscallOutcome.Denied when call.MissingCapability is { } cap => $"{Errno(call.Errno)} (needs {cap}, not held: a seccomp filter cannot be told apart)",
            SyscallOutcome.Denied => $"{Errno(call.Errno)} (refused before it ran: seccomp or an LSM)",
            _ => "allowed",
        };
    }

    private static string Errno(int errno) => errno switch
    {
        1 => "EPERM",
        13 => "EACCES",
        _ => "errno " + errno.ToString(CultureInfo.InvariantCulture),
    };

    private static string Json(ContainmentView view, IReadOnlyList<Finding> findings, IReadOnlyList<SyscallResult>? syscalls)
    {
        return CapabilityReport.Json(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("inContainer", view.InContainer);
            w.WriteStartObject("runtime");
            JsonText.WriteNullable(w, "engine", view.Runtime.Engine);
            w.WriteBoolean("kubernetes", view.Runtime.Kubernetes);
            JsonText.WriteStrings(w, "evidence", view.Runtime.Evidence);
            w.WriteEndObject();
            w.WriteBoolean("privileged", view.Privileged);
            JsonText.WriteStrings(w, "privilegeReasons", view.PrivilegeReasons);
            w.WriteStartArray("namespaces");
            foreach (var ns in view.Namespaces)
            {
                w.WriteStartObject();
                w.WriteString("type", ns.Type);
                JsonText.WriteNullable(w, "inode", ns.Inode);
                JsonText.WriteNullable(w, "pid1Inode", ns.Pid1Inode);
                w.WriteString("verdict", ns.Verdict);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("userNamespace");
            WriteMappings(w, "uidMap", view.UidMap);
            WriteMappings(w, "gidMap", view.GidMap);
            w.WriteBoolean("rootIsHostRoot", view.RootIsHostRoot);
            w.WriteEndObject();
            if (view.Uid is { } uid)
            {
                w.WriteNumber("uid", uid);
            }
            else
            {
                w.WriteNull("uid");
            }

            w.WriteStartObject("capabilities");
            if (view.Capabilities is { } caps)
            {
                foreach (var (_, name, set) in caps.Sets)
                {
                    w.WriteStartObject(name);
                    w.WriteString("mask", set.ToHex());
                    JsonText.WriteStrings(w, "names", [.. set.Names]);
                    w.WriteEndObject();
                }

                var docker = CapabilityAssessment.Of(caps.Effective, CapabilityCatalog.DefaultOf("docker")!, view.LastCap);
                JsonText.WriteStrings(w, "beyondDockerDefault", [.. docker.Added.Names]);
                JsonText.WriteStrings(w, "escapeCapable", [.. docker.EscapeCapable.Select(c => c.Name)]);
            }

            w.WriteNumber("lastCap", view.LastCap);
            w.WriteBoolean("all", view.AllCapabilities);
            w.WriteEndObject();
            w.WriteStartObject("seccomp");
            JsonText.WriteNullable(w, "mode", view.SeccompMode is { } mode ? (ulong)mode : null);
            JsonText.WriteNullable(w, "filters", view.SeccompFilters is { } filters ? (ulong)filters : null);
            w.WriteString("description", view.SeccompDescription);
            w.WriteEndObject();
            if (view.NoNewPrivs is { } nnp)
            {
                w.WriteBoolean("noNewPrivs", nnp);
            }
            else
            {
                w.WriteNull("noNewPrivs");
            }

            w.WriteStartObject("lsm");
            JsonText.WriteNullable(w, "module", view.Label.Module);
            JsonText.WriteNullable(w, "label", view.Label.Label);
            JsonText.WriteNullable(w, "mode", view.Label.Mode);
            w.WriteBoolean("confined", view.Label.Confined);
            JsonText.WriteStrings(w, "active", view.Label.ActiveModules);
            w.WriteEndObject();
            w.WriteStartArray("exposures");
            foreach (var exposure in view.Exposures)
            {
                w.WriteStartObject();
                w.WriteString("kind", JsonNamingPolicy.KebabCaseLower.ConvertName(exposure.Kind.ToString()));
                w.WriteString("path", exposure.Path);
                w.WriteString("detail", exposure.Detail);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            JsonText.WriteStrings(w, "hostNetworkInterfaces", view.HostNetwork);
            if (syscalls is not null)
            {
                w.WriteStartArray("syscalls");
                foreach (var call in syscalls)
                {
                    w.WriteStartObject();
                    w.WriteString("name", call.Name);
                    w.WriteNumber("number", call.Number);
                    w.WriteString("outcome", JsonNamingPolicy.KebabCaseLower.ConvertName(call.Outcome.ToString()));
                    w.WriteNumber("errno", call.Errno);
                    JsonText.WriteNullable(w, "missingCapability", call.MissingCapability);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteStartArray("findings");
            foreach (var finding in findings)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", finding.RuleId);
                w.WriteString("severity", finding.Severity.ToString().ToUpperInvariant());
                w.WriteString("message", finding.Message);
                w.WriteString("file", finding.Location.File);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WriteMappings(Utf8JsonWriter w, string name, IReadOnlyList<IdMapping> mappings)
    {
        w.WriteStartArray(name);
        foreach (var mapping in mappings)
        {
            w.WriteStartObject();
            w.WriteNumber("inside", mapping.Inside);
            w.WriteNumber("outside", mapping.Outside);
            w.WriteNumber("count", mapping.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
