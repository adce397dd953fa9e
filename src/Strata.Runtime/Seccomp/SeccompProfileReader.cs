namespace Strata.Runtime.Seccomp;

using System.Globalization;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;

/// <summary>A parsed document a profile is read from: its file, its root, and the line of each JSON path.</summary>
public sealed record ProfileDocument(string File, JsonElement Root, Func<string, int?> LineOf);

/// <summary>Reads seccomp profiles in the three formats, rejecting what a runtime would reject, with file, line and JSON path.</summary>
public static class SeccompProfileReader
{
    public const string SpoApiVersion = "security-profiles-operator.x-k8s.io/v1beta1";

    public static readonly IReadOnlySet<string> Actions = new HashSet<string>(StringComparer.Ordinal)
    {
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    };

    public static readonly IReadOnlySet<string> Operators = new HashSet<string>(StringComparer.Ordinal)
    {
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
    };

    public static readonly IReadOnlySet<string> Architectures = new HashSet<string>(StringComparer.Ordinal)
    {
        "SCMP_ARCH_NATIVE", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
        "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
        "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    };

    public static readonly IReadOnlySet<string> FilterFlags = new HashSet<string>(StringComparer.Ordinal)
    {
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    };

    /// <summary>Loads a profile file in any of the three formats: JSON (moby or OCI, a whole config.json, or an SPO object) or YAML (SPO).</summary>
    public static SeccompProfile Load(string file, Limits? limits = null)
    {
        limits ??= Limits.Default;
        var bytes = BoundedFile.ReadAllBytes(file, limits.MaxDocumentBytes, allowStandardInput: true, limitKey: BoundedFile.DocumentBytesKey);
        var first = bytes.SkipWhile(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF).FirstOrDefault();
        if (first is (byte)'{' or (byte)'[')
        {
            using var source = JsonSource.Parse(bytes, file, limits);
            return Read(new ProfileDocument(file, source.Root, source.LineOf), null, null);
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var yaml = YamlSource.Parse(text, file, limits);
        if (yaml.Documents.Count != 1)
        {
            throw StrataException.BadInput($"{file}: expected one YAML document (a SeccompProfile object), found {yaml.Documents.Count}.");
        }

        var (json, lines) = YamlAsJson.Convert(yaml.Documents[0]);
        using var document = JsonDocument.Parse(json);
        return Read(new ProfileDocument(file, document.RootElement.Clone(), p => lines.TryGetValue(p, out var l) ? l : null), null, null);
    }

    /// <summary>Reads the profile at <paramref name="basePath"/>; without one, finds it: a profile, an SPO object (spec) or a runtime config (linux.seccomp).</summary>
    public static SeccompProfile Read(ProfileDocument document, string? basePath, SeccompFormat? format)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.Root;
        if (basePath is null)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad(document, "$", "must be a JSON object (a seccomp profile)");
            }

            if (root.TryGetProperty("kind", out var kind) && root.TryGetProperty("spec", out var spec))
            {
                if (kind.ValueKind != JsonValueKind.String || kind.GetString() != "SeccompProfile")
                {
                    throw Bad(document, "$.kind", "is not SeccompProfile (a security-profiles-operator object)");
                }

                var metadata = root.TryGetProperty("metadata", out var m) ? m : default;
                var specBase = ReadProfile(document, spec, "$.spec", SeccompFormat.Spo);
                return specBase with
                {
                    Spo = new SpoMetadata(
                        OptionalString(document, metadata, "name", "$.metadata") ?? "profile",
                        OptionalString(document, metadata, "namespace", "$.metadata"),
                        OptionalString(document, spec, "baseProfileName", "$.spec"),
                        spec.TryGetProperty("disabled", out var disabled) && disabled.ValueKind is JsonValueKind.True or JsonValueKind.False ? disabled.GetBoolean() : null),
                };
            }

            if (root.TryGetProperty("linux", out var linux) && linux.ValueKind == JsonValueKind.Object && !root.TryGetProperty("defaultAction", out _))
            {
                return linux.TryGetProperty("seccomp", out var embedded)
                    ? ReadProfile(document, embedded, "$.linux.seccomp", SeccompFormat.Oci)
                    : throw Bad(document, "$.linux.seccomp", "is missing: the runtime config has no seccomp profile");
            }

            var isDocker = root.TryGetProperty("archMap", out _) || (root.TryGetProperty("syscalls", out var calls) && calls.ValueKind == JsonValueKind.Array
                && calls.EnumerateArray().Any(c => c.ValueKind == JsonValueKind.Object && (c.TryGetProperty("includes", out _) || c.TryGetProperty("excludes", out _) || c.TryGetProperty("comment", out _) || c.TryGetProperty("name", out _))));
            return ReadProfile(document, root, "$", format ?? (isDocker ? SeccompFormat.Docker : SeccompFormat.Oci));
        }

        return ReadProfile(document, root, basePath, format ?? SeccompFormat.Docker);
    }

    private static SeccompProfile ReadProfile(ProfileDocument document, JsonElement root, string basePath, SeccompFormat format)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad(document, basePath, "must be a JSON object (a seccomp profile)");
        }

        var defaultAction = Action(document, root, "defaultAction", basePath);
        var rules = new List<SeccompRule>();
        if (root.TryGetProperty("syscalls", out var syscalls) && syscalls.ValueKind != JsonValueKind.Null)
        {
            if (syscalls.ValueKind != JsonValueKind.Array)
            {
                throw Bad(document, basePath + ".syscalls", "must be an array");
            }

            var index = 0;
            foreach (var entry in syscalls.EnumerateArray())
            {
                rules.Add(ReadRule(document, entry, $"{basePath}.syscalls[{index}]"));
                index++;
            }
        }

        var archMap = new List<SeccompArchitecture>();
        if (root.TryGetProperty("archMap", out var map) && map.ValueKind != JsonValueKind.Null)
        {
            if (map.ValueKind != JsonValueKind.Array)
            {
                throw Bad(document, basePath + ".archMap", "must be an array");
            }

            var index = 0;
            foreach (var entry in map.EnumerateArray())
            {
                var path = $"{basePath}.archMap[{index++}]";
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    throw Bad(document, path, "must be an object");
                }

                var arch = Architecture(document, RequireString(document, entry, "architecture", path), path + ".architecture");
                IReadOnlyList<string>? subs = entry.TryGetProperty("subArchitectures", out var s) && s.ValueKind != JsonValueKind.Null
                    ? [.. StringList(document, entry, "subArchitectures", path).Select((a, i) => Architecture(document, a, $"{path}.subArchitectures[{i}]"))]
                    : null;
                archMap.Add(new SeccompArchitecture(arch, subs));
            }
        }

        if (archMap.Count > 0 && StringList(document, root, "architectures", basePath).Count > 0)
        {
            throw Bad(document, basePath + ".archMap", "and architectures are both given; moby refuses a profile with both");
        }

        var flags = StringList(document, root, "flags", basePath);
        for (var i = 0; i < flags.Count; i++)
        {
            if (!FilterFlags.Contains(flags[i]))
            {
                throw Bad(document, $"{basePath}.flags[{i}]", $"is not a seccomp filter flag ('{Redaction.Quote(flags[i], 60)}'; known: {string.Join(", ", FilterFlags)})");
            }
        }

        return new SeccompProfile(defaultAction, document.LineOf(basePath + ".defaultAction"), rules, basePath)
        {
            DefaultErrnoRet = Unsigned(document, root, "defaultErrnoRet", basePath),
            Architectures = [.. StringList(document, root, "architectures", basePath).Select((a, i) => Architecture(document, a, $"{basePath}.architectures[{i}]"))],
            ArchMap = archMap,
            Flags = flags,
            ListenerPath = OptionalString(document, root, "listenerPath", basePath),
            ListenerMetadata = OptionalString(document, root, "listenerMetadata", basePath),
            Format = format,
        };
    }

    private static SeccompRule ReadRule(ProfileDocument document, JsonElement entry, string path)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Bad(document, path, "must be an object");
        }

        var names = new List<string>();
        if (entry.TryGetProperty("names", out var namesElement) && namesElement.ValueKind != JsonValueKind.Null)
        {
            if (namesElement.ValueKind != JsonValueKind.Array || namesElement.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String))
            {
                throw Bad(document, path + ".names", "must be an array of syscall names");
            }

            names.AddRange(namesElement.EnumerateArray().Select(n => n.GetString()!));
        }

        // The older single-name form.
        if (entry.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String && nameElement.GetString() is { Length: > 0 } single)
        {
            names.Add(single);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0 || names[i].Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
            {
                throw Bad(document, $"{path}.names[{i}]", $"is not a syscall name ('{Redaction.Quote(names[i], 60)}')");
            }

            if (!seen.Add(names[i]))
            {
                throw Bad(document, $"{path}.names[{i}]", $"names {names[i]} a second time in the same rule");
            }
        }

        var args = new List<SeccompArgument>();
        if (entry.TryGetProperty("args", out var argsElement) && argsElement.ValueKind != JsonValueKind.Null)
        {
            if (argsElement.ValueKind != JsonValueKind.Array)
            {
                throw Bad(document, path + ".args", "must be an array");
            }

            var i = 0;
            foreach (var arg in argsElement.EnumerateArray())
            {
                var argPath = $"{path}.args[{i++}]";
                if (arg.ValueKind != JsonValueKind.Object)
                {
                    throw Bad(document, argPath, "must be an object");
                }

                var index = Unsigned(document, arg, "index", argPath) ?? 0;
                if (index > 5)
                {
                    throw Bad(document, argPath + ".index", $"is {index}; a syscall has arguments 0 to 5");
                }

                var op = RequireString(document, arg, "op", argPath);
                if (!Operators.Contains(op))
                {
                    throw Bad(document, argPath + ".op", $"is not a seccomp comparison ('{Redaction.Quote(op, 60)}'; known: {string.Join(", ", Operators)})");
                }

                args.Add(new SeccompArgument(index, Unsigned64(document, arg, "value", argPath), Unsigned64(document, arg, "valueTwo", argPath), op));
            }
        }

        return new SeccompRule(names, Action(document, entry, "action", path), path, document.LineOf(path))
        {
            ErrnoRet = Unsigned(document, entry, "errnoRet", path),
            Args = args,
            Comment = OptionalString(document, entry, "comment", path),
            Includes = Condition(document, entry, "includes", path),
            Excludes = Condition(document, entry, "excludes", path),
        };
    }

    private static SeccompCondition? Condition(ProfileDocument document, JsonElement entry, string name, string path)
    {
        if (!entry.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var conditionPath = $"{path}.{name}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Bad(document, conditionPath, "must be an object (caps, arches, minKernel)");
        }

        var minKernel = OptionalString(document, element, "minKernel", conditionPath);
        if (minKernel is not null && KernelVersion.TryParse(minKernel) is null)
        {
            throw Bad(document, conditionPath + ".minKernel", $"is not a kernel version like 4.8 ('{Redaction.Quote(minKernel, 40)}')");
        }

        return new SeccompCondition(StringList(document, element, "caps", conditionPath), StringList(document, element, "arches", conditionPath), minKernel);
    }

    private static string Action(ProfileDocument document, JsonElement element, string name, string path)
    {
        var action = RequireString(document, element, name, path);
        return Actions.Contains(action)
            ? action
            : throw Bad(document, $"{path}.{name}", $"is not a seccomp action ('{Redaction.Quote(action, 60)}'; known: {string.Join(", ", Actions)})");
    }

    private static string Architecture(ProfileDocument document, string arch, string path) =>
        Architectures.Contains(arch) ? arch : throw Bad(document, path, $"is not a seccomp architecture ('{Redaction.Quote(arch, 60)}'; e.g. SCMP_ARCH_X86_64)");

    private static IReadOnlyList<string> StringList(ProfileDocument document, JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return list.ValueKind == JsonValueKind.Array && list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? [.. list.EnumerateArray().Select(e => e.GetString()!)]
            : throw Bad(document, $"{path}.{name}", "must be an array of strings");
    }

    private static string? OptionalString(ProfileDocument document, JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Bad(document, $"{path}.{name}", "must be a string");
    }

    private static uint? Unsigned(ProfileDocument document, JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var number)
            ? number
            : throw Bad(document, $"{path}.{name}", "must be a non-negative whole number");
    }

    private static ulong Unsigned64(ProfileDocument document, JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number)
            ? number
            : throw Bad(document, $"{path}.{name}", "must be a whole number from 0 to 18446744073709551615");
    }

    private static string RequireString(ProfileDocument document, JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Bad(document, $"{path}.{name}", "is missing or not a string");

    internal static StrataException Bad(ProfileDocument document, string path, string what)
    {
        var line = document.LineOf(path);
        return StrataException.BadInput($"{document.File}{(line is int l ? ":" + l.ToString(CultureInfo.InvariantCulture) : string.Empty)}: {path} {what}.");
    }
}

/// <summary>A kernel version as moby's minKernel compares it: major and minor only.</summary>
public readonly record struct KernelVersion(int Major, int Minor)
{
    /// <summary>Parses "4.8", "5.10.0-23-amd64" or "6.1-rc5" (minor revisions and suffixes ignored); null when not a version.</summary>
    public static KernelVersion? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('.', 3);
        if (parts.Length < 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return null;
        }

        var minorText = new string([.. parts[1].TakeWhile(char.IsAsciiDigit)]);
        return minorText.Length > 0 && int.TryParse(minorText, NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? new KernelVersion(major, minor) : null;
    }

    public bool IsAtLeast(KernelVersion other) => Major != other.Major ? Major > other.Major : Minor >= other.Minor;

    public override string ToString() => $"{Major}.{Minor}";
}
