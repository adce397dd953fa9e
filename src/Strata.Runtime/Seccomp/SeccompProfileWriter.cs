namespace Strata.Runtime.Seccomp;

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

/// <summary>
/// Writes a profile in one of the three formats. Docker and OCI JSON come out as Go's json.MarshalIndent with tabs writes
/// them (field order of the moby and runtime-spec types, empty fields omitted), so moby's default.json round-trips byte
/// for byte. The OCI and SPO forms have no conditions: resolve a conditional profile first (<see cref="SeccompResolver"/>).
/// </summary>
public static class SeccompProfileWriter
{
    public static string Write(SeccompProfile profile, SeccompFormat format)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (format != SeccompFormat.Docker && profile.IsConditional)
        {
            throw new InvalidOperationException("A profile with archMap or includes/excludes must be resolved before it is written as OCI or SPO.");
        }

        return format == SeccompFormat.Spo ? WriteSpo(profile) : WriteJson(profile, format == SeccompFormat.Docker);
    }

    private static string WriteJson(SeccompProfile profile, bool docker)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentCharacter = '\t', IndentSize = 1, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("defaultAction", profile.DefaultAction);
            if (profile.DefaultErrnoRet is uint errno)
            {
                writer.WriteNumber("defaultErrnoRet", errno);
            }

            Strings(writer, "architectures", profile.Architectures);
            Strings(writer, "flags", profile.Flags);
            OptionalString(writer, "listenerPath", profile.ListenerPath);
            OptionalString(writer, "listenerMetadata", profile.ListenerMetadata);
            if (docker && profile.ArchMap.Count > 0)
            {
                writer.WriteStartArray("archMap");
                foreach (var arch in profile.ArchMap)
                {
                    writer.WriteStartObject();
                    writer.WriteString("architecture", arch.Architecture);
                    writer.WritePropertyName("subArchitectures");
                    if (arch.SubArchitectures is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        writer.WriteStartArray();
                        arch.SubArchitectures.ToList().ForEach(writer.WriteStringValue);
                        writer.WriteEndArray();
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            // moby's syscalls has no omitempty; the runtime-spec's has.
            if (docker || profile.Rules.Count > 0)
            {
                writer.WriteStartArray("syscalls");
                foreach (var rule in profile.Rules)
                {
                    writer.WriteStartObject();
                    Strings(writer, "names", rule.Names);
                    writer.WriteString("action", rule.Action);
                    if (rule.ErrnoRet is uint ret)
                    {
                        writer.WriteNumber("errnoRet", ret);
                    }

                    if (rule.Args.Count > 0)
                    {
                        writer.WriteStartArray("args");
                        foreach (var arg in rule.Args)
                        {
                            writer.WriteStartObject();
                            writer.WriteNumber("index", arg.Index);
                            writer.WriteNumber("value", arg.Value);
                            if (arg.ValueTwo != 0)
                            {
                                writer.WriteNumber("valueTwo", arg.ValueTwo);
                            }

                            writer.WriteString("op", arg.Op);
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                    }

                    if (docker)
                    {
                        OptionalString(writer, "comment", rule.Comment);
                        Condition(writer, "includes", rule.Includes);
                        Condition(writer, "excludes", rule.Excludes);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Condition(Utf8JsonWriter writer, string name, SeccompCondition? condition)
    {
        if (condition is null)
        {
            return;
        }

        writer.WriteStartObject(name);
        Strings(writer, "caps", condition.Caps);
        Strings(writer, "arches", condition.Arches);
        OptionalString(writer, "minKernel", condition.MinKernel);
        writer.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void OptionalString(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    // The object as the operator's API types marshal it (sigs.k8s.io/yaml: JSON field order, block style).
    private static string WriteSpo(SeccompProfile profile)
    {
        var meta = profile.Spo ?? new SpoMetadata("profile", null, null, null);
        var text = new StringBuilder();
        text.Append("apiVersion: ").Append(SeccompProfileReader.SpoApiVersion).Append('\n');
        text.Append("kind: SeccompProfile\n");
        text.Append("metadata:\n");
        text.Append("  name: ").Append(Scalar(meta.Name)).Append('\n');
        if (meta.Namespace is not null)
        {
            text.Append("  namespace: ").Append(Scalar(meta.Namespace)).Append('\n');
        }

        text.Append("spec:\n");
        if (meta.Disabled is bool disabled)
        {
            text.Append("  disabled: ").Append(disabled ? "true" : "false").Append('\n');
        }

        if (meta.BaseProfileName is not null)
        {
            text.Append("  baseProfileName: ").Append(Scalar(meta.BaseProfileName)).Append('\n');
        }

        text.Append("  defaultAction: ").Append(profile.DefaultAction).Append('\n');
        if (profile.DefaultErrnoRet is uint errno)
        {
            text.Append("  defaultErrnoRet: ").Append(errno.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        List(text, "  ", "architectures", profile.Architectures);
        if (profile.ListenerPath is { Length: > 0 } listener)
        {
            text.Append("  listenerPath: ").Append(Scalar(listener)).Append('\n');
        }

        if (profile.ListenerMetadata is { Length: > 0 } listenerMetadata)
        {
            text.Append("  listenerMetadata: ").Append(Scalar(listenerMetadata)).Append('\n');
        }

        if (profile.Rules.Count > 0)
        {
            text.Append("  syscalls:\n");
            foreach (var rule in profile.Rules)
            {
                text.Append("  - action: ").Append(rule.Action).Append('\n');
                if (rule.ErrnoRet is uint ret)
                {
                    text.Append("    errnoRet: ").Append(ret.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }

                List(text, "    ", "names", rule.Names);
                if (rule.Args.Count > 0)
                {
                    text.Append("    args:\n");
                    foreach (var arg in rule.Args)
                    {
                        text.Append("    - index: ").Append(arg.Index.ToString(CultureInfo.InvariantCulture)).Append('\n');
                        text.Append("      value: ").Append(arg.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
                        if (arg.ValueTwo != 0)
                        {
                            text.Append("      valueTwo: ").Append(arg.ValueTwo.ToString(CultureInfo.InvariantCulture)).Append('\n');
                        }

                        text.Append("      op: ").Append(arg.Op).Append('\n');
                    }
                }
            }
        }

        List(text, "  ", "flags", profile.Flags);
        return text.ToString();
    }

    private static void List(StringBuilder text, string indent, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        text.Append(indent).Append(name).Append(":\n");
        foreach (var value in values)
        {
            text.Append(indent).Append("- ").Append(Scalar(value)).Append('\n');
        }
    }

    // A JSON string is a valid YAML double-quoted scalar; plain only when YAML would read it back as the same string.
    private static string Scalar(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/') && !char.IsAsciiDigit(value[0])
            && value is not ("true" or "false" or "null" or "yes" or "no" or "on" or "off" or "y" or "n")
            ? value
            : "\"" + JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString() + "\"";
}
