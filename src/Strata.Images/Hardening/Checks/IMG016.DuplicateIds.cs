namespace Strata.Images.Hardening.Checks;

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Two accounts with one UID, or two groups with one GID.</summary>
public sealed class DuplicateIds : Check<ImageView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "IMG-016",
        Title = "Duplicate UID or GID",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "The kernel knows users and groups only by number: accounts that share a UID are the same user, whatever their names. A second account with UID 0 is a hidden root account (HIGH); other duplicates blur who owns which files and which account a process really runs as.",
        Remediation = "Give every account and group its own ID, and remove extra UID 0 accounts.",
        References = ["https://man7.org/linux/man-pages/man5/passwd.5.html", "https://man7.org/linux/man-pages/man5/group.5.html"],
        Equivalents = ["Dockle DKL-LI-0002"],
        Examples =
        [
            new RuleExample("/etc/passwd\nroot:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh", true, "a second UID 0: HIGH"),
            new RuleExample("/etc/group\nroot:x:0:\nwheel:x:0:", true),
            new RuleExample("/etc/passwd\nroot:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/app:/sbin/nologin", false),
        ],
    };

    public override bool AppliesTo(ImageView subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.Resolve(AccountFiles.PasswdPath) is null && subject.Resolve(AccountFiles.GroupPath) is null ? "no /etc/passwd or /etc/group" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.ReadText(AccountFiles.PasswdPath) is { } passwd && subject.Resolve(AccountFiles.PasswdPath) is { } passwdFile)
        {
            var accounts = AccountFiles.ParsePasswd(passwd);
            foreach (var group in accounts.Where(a => a.Uid is not null).GroupBy(a => a.Uid.GetValueOrDefault()).Where(g => g.Count() > 1).OrderBy(g => g.Key))
            {
                var names = string.Join(", ", group.Select(a => $"{a.Name} (line {a.Line})"));
                var uid = group.Key.ToString(CultureInfo.InvariantCulture);
                yield return Finding.For(
                    Rule,
                    context.Target,
                    ImageView.LocationOf(passwdFile) with { Path = AccountFiles.PasswdPath, Line = group.ElementAt(1).Line, Subject = "uid " + uid },
                    group.Key == 0 ? $"UID 0 (root) is shared by {names} in {AccountFiles.PasswdPath}: a second root account." : $"UID {uid} is shared by {names} in {AccountFiles.PasswdPath}.",
                    Evidence.Plain(string.Join("; ", group.Select(a => $"{a.Name}:x:{uid}"))),
                    group.Key == 0 ? Severity.High : null);
            }
        }

        if (subject.ReadText(AccountFiles.GroupPath) is { } groupText && subject.Resolve(AccountFiles.GroupPath) is { } groupFile)
        {
            var groups = AccountFiles.ParseGroup(groupText);
            foreach (var group in groups.Where(g => g.Gid is not null).GroupBy(g => g.Gid.GetValueOrDefault()).Where(g => g.Count() > 1).OrderBy(g => g.Key))
            {
                var names = string.Join(", ", group.Select(g => $"{g.Name} (line {g.Line})"));
                var gid = group.Key.ToString(CultureInfo.InvariantCulture);
                yield return Finding.For(
                    Rule,
                    context.Target,
                    ImageView.LocationOf(groupFile) with { Path = AccountFiles.GroupPath, Line = group.ElementAt(1).Line, Subject = "gid " + gid },
                    $"GID {gid} is shared by {names} in {AccountFiles.GroupPath}.",
                    Evidence.Plain(string.Join("; ", group.Select(g => $"{g.Name}:x:{gid}"))));
            }
        }
    }
}
