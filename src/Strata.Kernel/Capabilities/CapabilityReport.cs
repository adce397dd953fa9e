namespace Strata.Kernel.Capabilities;

using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Core.Findings;

/// <summary>Text and JSON renderings of capability sets and their assessment, for <c>strata caps</c>.</summary>
public static class CapabilityReport
{
    /// <summary>The catalog: one line per capability (text) or every field (JSON).</summary>
    public static string List(bool json)
    {
        if (json)
        {
            return Json(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("capabilities");
                foreach (var info in CapabilityCatalog.All)
                {
                    WriteInfo(w, info);
                }

                w.WriteEndArray();
                WriteDefaults(w);
                w.WriteEndObject();
            });
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"#",-3} {"CAPABILITY",-24} {"SINCE",-7} {"RISK",-9} GRANTS\n");
        foreach (var info in CapabilityCatalog.All)
        {
            text.Append(CultureInfo.InvariantCulture, $"{info.Number,-3} {info.Name,-24} {info.Since,-7} {info.Risk.ToString().ToUpperInvariant(),-9} {info.Grants}\n");
        }

        return text.ToString();
    }

    /// <summary>One capability in full: what it grants, its risk, escape techniques, which runtime defaults hold it.</summary>
    public static string Show(CapabilityInfo info, bool json)
    {
        ArgumentNullException.ThrowIfNull(info);
        var holders = CapabilityCatalog.RuntimeDefaults.Where(d => d.Capabilities.Contains(info.Number)).Select(d => d.Runtime).ToList();
        if (json)
        {
            return Json(w =>
            {
                WriteInfo(w, info, holders);
            });
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{info.Name} (number {info.Number}, since Linux {info.Since}), risk {info.Risk.ToString().ToUpperInvariant()}\n");
        text.Append(CultureInfo.InvariantCulture, $"  grants: {info.Grants}\n");
        foreach (var escape in info.Escapes)
        {
            text.Append(CultureInfo.InvariantCulture, $"  abuse:  {escape}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  in the default set of: {(holders.Count == 0 ? "no runtime" : string.Join(", ", holders))}\n");
        return text.ToString();
    }

    /// <summary>The runtimes' default sets.</summary>
    public static string Defaults(bool json)
    {
        if (json)
        {
            return Json(w =>
            {
                w.WriteStartObject();
                WriteDefaults(w);
                w.WriteEndObject();
            });
        }

        var text = new StringBuilder();
        foreach (var runtime in CapabilityCatalog.RuntimeDefaults)
        {
            text.Append(CultureInfo.InvariantCulture, $"{runtime.Runtime} ({runtime.Capabilities.Count}, {runtime.Capabilities.ToHex()}): {runtime.Capabilities}\n  source: {runtime.Source}\n");
        }

        return text.ToString();
    }

    /// <summary>A set (decoded from a mask or names) assessed against a runtime's default.</summary>
    public static string Assess(string label, CapabilityAssessment assessment, bool json)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        if (json)
        {
            return Json(w => WriteAssessment(w, label, assessment));
        }

        var text = new StringBuilder();
        AppendAssessment(text, label, assessment);
        return text.ToString();
    }

    /// <summary>The five sets of a process, the effective and bounding sets assessed against a runtime's default.</summary>
    public static string Process(string pid, ProcessCapabilities process, RuntimeDefault baseline, int lastCap, bool json)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(baseline);
        if (json)
        {
            return Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("pid", pid);
                w.WriteStartObject("sets");
                foreach (var (field, name, set) in process.Sets)
                {
                    w.WriteStartObject(name);
                    w.WriteString("field", field);
                    WriteSet(w, set);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WritePropertyName("effective");
                WriteAssessment(w, "effective", CapabilityAssessment.Of(process.Effective, baseline, lastCap));
                w.WritePropertyName("bounding");
                WriteAssessment(w, "bounding", CapabilityAssessment.Of(process.Bounding, baseline, lastCap));
                w.WriteEndObject();
            });
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"process {pid}\n");
        foreach (var (field, name, set) in process.Sets)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {field} {set.ToHex()}  {name,-11} {set}\n");
        }

        text.Append('\n');
        AppendAssessment(text, "effective set", CapabilityAssessment.Of(process.Effective, baseline, lastCap));
        text.Append('\n');
        AppendAssessment(text, "bounding set (what exec of a setuid or file-capability binary can regain)", CapabilityAssessment.Of(process.Bounding, baseline, lastCap));
        return text.ToString();
    }

    /// <summary>What each of two sets holds that the other does not.</summary>
    public static string Diff(string labelA, CapabilitySet a, string labelB, CapabilitySet b, bool json)
    {
        var onlyA = a.Except(b);
        var onlyB = b.Except(a);
        if (json)
        {
            return Json(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("a");
                w.WriteString("label", labelA);
                WriteSet(w, a);
                w.WriteEndObject();
                w.WriteStartObject("b");
                w.WriteString("label", labelB);
                WriteSet(w, b);
                w.WriteEndObject();
                w.WriteStartObject("onlyInA");
                WriteSet(w, onlyA);
                w.WriteEndObject();
                w.WriteStartObject("onlyInB");
                WriteSet(w, onlyB);
                w.WriteEndObject();
                w.WriteStartObject("common");
                WriteSet(w, a.Intersect(b));
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"A: {labelA} ({a.ToHex()}, {a.Count})\nB: {labelB} ({b.ToHex()}, {b.Count})\n");
        AppendRiskList(text, "only in A", onlyA);
        AppendRiskList(text, "only in B", onlyB);
        if (onlyA.IsEmpty && onlyB.IsEmpty)
        {
            text.Append("the sets are equal\n");
        }

        return text.ToString();
    }

    private static void AppendAssessment(StringBuilder text, string label, CapabilityAssessment assessment)
    {
        var set = assessment.Set;
        text.Append(CultureInfo.InvariantCulture, $"{label}: {set.ToHex()}, {set.Count} capabilities, risk {assessment.Risk.ToString().ToUpperInvariant()}\n");
        if (assessment.PrivilegedEquivalent)
        {
            text.Append("  PRIVILEGED-EQUIVALENT: every capability of the kernel, as --privileged gives\n");
        }

        foreach (var info in assessment.EscapeCapable)
        {
            text.Append(CultureInfo.InvariantCulture, $"  ESCAPE-CAPABLE: {info.Name}: {(info.Escapes.Count > 0 ? info.Escapes[0] : info.Grants)}\n");
        }

        AppendRiskList(text, $"added to the {assessment.Baseline.Runtime} default", assessment.Added);
        if (!assessment.Dropped.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $"  dropped from the {assessment.Baseline.Runtime} default: {assessment.Dropped}\n");
        }

        if (assessment.Added.IsEmpty && assessment.Dropped.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $"  the {assessment.Baseline.Runtime} default, unchanged\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  all: {set}\n");
    }

    private static void AppendRiskList(StringBuilder text, string heading, CapabilitySet set)
    {
        if (set.IsEmpty)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"  {heading}:\n");
        foreach (var number in set.Numbers)
        {
            var info = CapabilityCatalog.ByNumber(number);
            text.Append(CultureInfo.InvariantCulture, $"    {CapabilityCatalog.NameOf(number),-24} {(info?.Risk.ToString().ToUpperInvariant() ?? "UNKNOWN"),-9} {info?.Grants ?? "a capability this catalog does not know (newer kernel)"}\n");
        }
    }

    private static void WriteAssessment(Utf8JsonWriter w, string label, CapabilityAssessment assessment)
    {
        w.WriteStartObject();
        w.WriteString("label", label);
        WriteSet(w, assessment.Set);
        w.WriteString("risk", assessment.Risk.ToString().ToUpperInvariant());
        w.WriteString("baseline", assessment.Baseline.Runtime);
        w.WriteStartObject("added");
        WriteSet(w, assessment.Added);
        w.WriteEndObject();
        w.WriteStartObject("dropped");
        WriteSet(w, assessment.Dropped);
        w.WriteEndObject();
        w.WriteStartArray("dangerousAdditions");
        foreach (var info in assessment.DangerousAdditions)
        {
            w.WriteStringValue(info.Name);
        }

        w.WriteEndArray();
        w.WriteBoolean("privilegedEquivalent", assessment.PrivilegedEquivalent);
        w.WriteStartArray("escapeCapable");
        foreach (var info in assessment.EscapeCapable)
        {
            w.WriteStringValue(info.Name);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSet(Utf8JsonWriter w, CapabilitySet set)
    {
        w.WriteString("mask", set.ToHex());
        w.WriteStartArray("capabilities");
        foreach (var name in set.Names)
        {
            w.WriteStringValue(name);
        }

        w.WriteEndArray();
    }

    private static void WriteInfo(Utf8JsonWriter w, CapabilityInfo info, IReadOnlyList<string>? holders = null)
    {
        w.WriteStartObject();
        w.WriteNumber("number", info.Number);
        w.WriteString("name", info.Name);
        w.WriteString("since", info.Since);
        w.WriteString("risk", info.Risk.ToString().ToUpperInvariant());
        w.WriteString("grants", info.Grants);
        w.WriteStartArray("escapes");
        foreach (var escape in info.Escapes)
        {
            w.WriteStringValue(escape);
        }

        w.WriteEndArray();
        if (holders is not null)
        {
            w.WriteStartArray("inRuntimeDefaults");
            foreach (var runtime in holders)
            {
                w.WriteStringValue(runtime);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteDefaults(Utf8JsonWriter w)
    {
        w.WriteStartArray("runtimeDefaults");
        foreach (var runtime in CapabilityCatalog.RuntimeDefaults)
        {
            w.WriteStartObject();
            w.WriteString("runtime", runtime.Runtime);
            w.WriteString("source", runtime.Source);
            WriteSet(w, runtime.Capabilities);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Indented JSON text written by <paramref name="write"/>, with a final newline (also `strata inside`'s).</summary>
    internal static string Json(Action<Utf8JsonWriter> write) => Core.Documents.JsonText.Render(write);
}
