namespace Strata.Kubernetes.PodSecurity;

using System.Diagnostics.CodeAnalysis;
using System.Globalization;

/// <summary>A Pod Security Standards version: <c>v1.N</c>, or <c>latest</c> (newer than every numbered version).</summary>
public readonly record struct PodSecurityVersion
{
    private PodSecurityVersion(int minor, bool latest)
    {
        Minor = minor;
        IsLatest = latest;
    }

    public static PodSecurityVersion Latest { get; } = new(0, true);

    /// <summary>N of v1.N; 0 for <see cref="Latest"/>.</summary>
    public int Minor { get; }

    public bool IsLatest { get; }

    public static PodSecurityVersion Of(int minor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        return new(minor, false);
    }

    /// <summary>Parses <c>latest</c> or <c>v1.N</c> as PSA does (no leading zeros; the namespace label syntax).</summary>
    public static bool TryParse(string? text, out PodSecurityVersion version)
    {
        version = Latest;
        if (text == "latest")
        {
            return true;
        }

        if (text is null || !text.StartsWith("v1.", StringComparison.Ordinal) || text.Length < 4 || text.Length > 12 || (text[3] == '0' && text.Length > 4))
        {
            return false;
        }

        foreach (var c in text.AsSpan(3))
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        if (!int.TryParse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new(minor, false);
        return true;
    }

    public override string ToString() => IsLatest ? "latest" : string.Create(CultureInfo.InvariantCulture, $"v1.{Minor}");
}

/// <summary>A level at a version, PSA's <c>LevelVersion</c>: <c>restricted:latest</c>.</summary>
public readonly record struct PodSecurityPolicy(PodSecurityLevel Level, PodSecurityVersion Version)
{
    public static PodSecurityPolicy Default { get; } = new(PodSecurityLevel.Restricted, PodSecurityVersion.Latest);

    public static PodSecurityPolicy Of(PodSecurityLevel level, PodSecurityVersion version) => new(level, version);

    public static bool TryParseLevel(string? text, out PodSecurityLevel level)
    {
        switch (text)
        {
            case "privileged":
                level = PodSecurityLevel.Privileged;
                return true;
            case "baseline":
                level = PodSecurityLevel.Baseline;
                return true;
            case "restricted":
                level = PodSecurityLevel.Restricted;
                return true;
            default:
                level = PodSecurityLevel.Restricted;
                return false;
        }
    }

    /// <summary>A level and version as the CLI and scan options give them; a usage message when either is wrong.</summary>
    public static bool TryParse(string? level, string? version, out PodSecurityPolicy policy, [NotNullWhen(false)] out string? error)
    {
        policy = Default;
        error = null;
        if (!TryParseLevel(level ?? "restricted", out var parsedLevel))
        {
            error = $"Pod Security Standards level '{level}': expected privileged, baseline or restricted.";
            return false;
        }

        if (!PodSecurityVersion.TryParse(version ?? "latest", out var parsedVersion))
        {
            error = $"Pod Security Standards version '{version}': expected latest or v1.N (e.g. v1.30).";
            return false;
        }

        policy = new(parsedLevel, parsedVersion);
        return true;
    }

    public static string LevelName(PodSecurityLevel level) => level switch
    {
        PodSecurityLevel.Privileged => "privileged",
        PodSecurityLevel.Baseline => "baseline",
        _ => "restricted",
    };

    public override string ToString() => $"{LevelName(Level)}:{Version}";
}
