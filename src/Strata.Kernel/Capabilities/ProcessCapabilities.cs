namespace Strata.Kernel.Capabilities;

using Strata.Core;

/// <summary>The five capability sets of a process, as /proc/PID/status shows them (CapInh, CapPrm, CapEff, CapBnd, CapAmb).</summary>
public sealed record ProcessCapabilities(CapabilitySet Inheritable, CapabilitySet Permitted, CapabilitySet Effective, CapabilitySet Bounding, CapabilitySet Ambient)
{
    /// <summary>The lines every kernel with capabilities prints (CapAmb came with Linux 4.3).</summary>
    private static readonly string[] RequiredFields = ["CapInh", "CapPrm", "CapEff", "CapBnd"];

    /// <summary>The sets in the order /proc lists them, with their field names.</summary>
    public IEnumerable<(string Field, string Name, CapabilitySet Set)> Sets =>
    [
        ("CapInh", "inheritable", Inheritable),
        ("CapPrm", "permitted", Permitted),
        ("CapEff", "effective", Effective),
        ("CapBnd", "bounding", Bounding),
        ("CapAmb", "ambient", Ambient),
    ];

    /// <summary>Reads the sets of process <paramref name="pid"/> (a number or <c>self</c>) under <paramref name="root"/> ("/" for this host).</summary>
    /// <exception cref="StrataException">No such process, or its status has no capability lines.</exception>
    public static ProcessCapabilities Read(string pid, string root = "/")
    {
        ArgumentNullException.ThrowIfNull(pid);
        ArgumentNullException.ThrowIfNull(root);
        if (pid != "self" && !(int.TryParse(pid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0))
        {
            throw StrataException.BadInput($"'{Strata.Core.Findings.Redaction.Quote(pid, 20)}' is not a process ID (a positive number or 'self').");
        }

        var path = Path.Combine(root, "proc", pid, "status");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw StrataException.BadInput($"{path}: no such process.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.BadInput($"{path}: cannot be read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Reads the Cap* lines of a /proc/PID/status text; <paramref name="source"/> names it in errors.</summary>
    public static ProcessCapabilities Parse(string statusText, string source)
    {
        ArgumentNullException.ThrowIfNull(statusText);
        var fields = new Dictionary<string, CapabilitySet>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in statusText.Split('\n'))
        {
            lineNumber++;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line.StartsWith("Cap", StringComparison.Ordinal))
            {
                continue;
            }

            var field = line[..colon];
            if (field is "CapInh" or "CapPrm" or "CapEff" or "CapBnd" or "CapAmb")
            {
                try
                {
                    fields[field] = CapabilitySet.ParseHex(line[(colon + 1)..]);
                }
                catch (StrataException e)
                {
                    throw StrataException.BadInput($"{source}:{lineNumber}: {field}: {e.Message}", e);
                }
            }
        }

        var missing = RequiredFields.Where(f => !fields.ContainsKey(f)).ToList();
        if (missing.Count > 0)
        {
            throw StrataException.BadInput($"{source}: no {string.Join(", ", missing)} line: not a /proc/PID/status file.");
        }

        // CapAmb exists since Linux 4.3; older kernels have no ambient set.
        return new ProcessCapabilities(fields["CapInh"], fields["CapPrm"], fields["CapEff"], fields["CapBnd"], fields.GetValueOrDefault("CapAmb"));
    }
}
