namespace Strata.Images.Hardening;

using System.Globalization;

/// <summary>A line of /etc/passwd. <see cref="Uid"/>/<see cref="Gid"/> are null when not numbers.</summary>
public sealed record PasswdEntry(string Name, string Password, long? Uid, long? Gid, string Shell, int Line);

/// <summary>A line of /etc/shadow (only the name and the password field matter here).</summary>
public sealed record ShadowEntry(string Name, string Password, int Line);

/// <summary>A line of /etc/group.</summary>
public sealed record GroupEntry(string Name, long? Gid, int Line);

/// <summary>Parses the account databases leniently: comments, blank, NIS (<c>+</c>/<c>-</c>) and short lines are skipped.</summary>
public static class AccountFiles
{
    public const string PasswdPath = "/etc/passwd";
    public const string ShadowPath = "/etc/shadow";
    public const string GroupPath = "/etc/group";

    public static IReadOnlyList<PasswdEntry> ParsePasswd(string text) =>
        [.. Lines(text, 7).Select(l => new PasswdEntry(l.Fields[0], l.Fields[1], Number(l.Fields[2]), Number(l.Fields[3]), l.Fields[6], l.Line))];

    public static IReadOnlyList<ShadowEntry> ParseShadow(string text) =>
        [.. Lines(text, 2).Select(l => new ShadowEntry(l.Fields[0], l.Fields[1], l.Line))];

    public static IReadOnlyList<GroupEntry> ParseGroup(string text) =>
        [.. Lines(text, 3).Select(l => new GroupEntry(l.Fields[0], Number(l.Fields[2]), l.Line))];

    private static IEnumerable<(string[] Fields, int Line)> Lines(string text, int minimumFields)
    {
        ArgumentNullException.ThrowIfNull(text);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] is '#' or '+' or '-')
            {
                continue;
            }

            var fields = line.Split(':');
            if (fields.Length >= minimumFields && fields[0].Length > 0)
            {
                yield return (fields, number);
            }
        }
    }

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
