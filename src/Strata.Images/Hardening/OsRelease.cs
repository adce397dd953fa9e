namespace Strata.Images.Hardening;

/// <summary>The fields of os-release(5) that identify a distribution and its version.</summary>
public sealed record OsRelease(string Id, string? VersionId, string? VersionCodename, string? Name, string? PrettyName, string? IdLike, string Path)
{
    /// <summary>The places os-release(5) may be, in the order systemd reads them.</summary>
    public static readonly IReadOnlyList<string> Locations = ["etc/os-release", "usr/lib/os-release"];

    /// <summary>Distroless images keep Debian's ID and VERSION_ID but say so in PRETTY_NAME.</summary>
    public bool IsDistroless => PrettyName?.Contains("Distroless", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>A one-line description, e.g. <c>Debian GNU/Linux 12 (bookworm)</c>.</summary>
    public string Describe()
    {
        if (IsDistroless)
        {
            return $"Distroless ({Name ?? Id} {VersionId ?? "unknown version"})";
        }

        return PrettyName ?? $"{Name ?? Id} {VersionId ?? string.Empty}".TrimEnd();
    }

    /// <summary>Reads the first os-release of the image; null when there is none.</summary>
    public static OsRelease? Read(ImageView image)
    {
        ArgumentNullException.ThrowIfNull(image);
        foreach (var location in Locations)
        {
            var file = image.Resolve(location);
            if (file is not null && image.ReadText(location) is { } text)
            {
                return Parse(text, file.Path);
            }
        }

        return null;
    }

    /// <summary>Parses KEY=VALUE lines with optional shell quoting; unknown keys and malformed lines are skipped.</summary>
    public static OsRelease Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            fields[line[..equals]] = Unquote(line[(equals + 1)..]);
        }

        return new OsRelease(
            fields.GetValueOrDefault("ID") is { Length: > 0 } id ? id.ToLowerInvariant() : "linux",
            fields.GetValueOrDefault("VERSION_ID"),
            fields.GetValueOrDefault("VERSION_CODENAME"),
            fields.GetValueOrDefault("NAME"),
            fields.GetValueOrDefault("PRETTY_NAME"),
            fields.GetValueOrDefault("ID_LIKE"),
            path);
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
        {
            value = value[1..^1];
            if (value.Contains('\\', StringComparison.Ordinal))
            {
                var builder = new System.Text.StringBuilder(value.Length);
                for (var i = 0; i < value.Length; i++)
                {
                    if (value[i] == '\\' && i + 1 < value.Length)
                    {
                        i++;
                    }

                    builder.Append(value[i]);
                }

                value = builder.ToString();
            }
        }

        return value;
    }
}
