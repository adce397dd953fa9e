namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci.Layers;

/// <summary>Files with the setuid or setgid bit.</summary>
public sealed class SetuidSetgidFiles : Check<ImageView>
{
    /// <summary>Setuid/setgid programs that base distributions ship for login and account management: still reported, as LOW.</summary>
    public static readonly IReadOnlySet<string> Customary = new HashSet<string>(StringComparer.Ordinal)
    {
        "su", "passwd", "chfn", "chsh", "gpasswd", "newgrp", "mount", "umount", "chage", "expiry", "unix_chkpwd", "ping", "ping6", "wall", "write", "crontab",
    };

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-009",
        Title = "setuid or setgid file",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "A setuid (setgid) program runs with its owner's (group's) identity whatever user starts it; a setuid-root program with a bug is a way from the container's user to root. Containers rarely need any: the runtime sets the identity and no-new-privileges disables them. The account tools base distributions ship (su, passwd, chfn, mount, …) are reported LOW; anything else MEDIUM.",
        Remediation = "Remove the bits in the final stage (RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + ) or the programs themselves, and run containers with no-new-privileges (Kubernetes allowPrivilegeEscalation: false).",
        References = ["https://man7.org/linux/man-pages/man2/execve.2.html", "https://docs.kernel.org/userspace-api/no_new_privs.html"],
        Equivalents = ["Dockle CIS-DI-0008"],
        Examples =
        [
            new RuleExample("-rwsr-xr-x 0 0 /usr/local/bin/helper", true),
            new RuleExample("-rwxr-sr-x 0 42 /usr/bin/chage", true, "LOW: customary"),
            new RuleExample("drwxrwsr-x 0 50 /var/local", false, "setgid directories only set the group of new files"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        return Find(subject, context.Target);
    }

    private IEnumerable<Finding> Find(ImageView image, string target)
    {
        // The table is asked for type and mode, so only setuid and setgid files are made (0x800 setuid, 0x400 setgid).
        foreach (var file in image.FilesWhere(static (type, mode) => type is EntryType.File or EntryType.HardLink && (mode & 0xC00) != 0))
        {
            var entry = file.Entry;
            var bits = entry.IsSetuid && entry.IsSetgid ? "setuid and setgid" : entry.IsSetuid ? "setuid" : "setgid";
            var owner = entry.IsSetuid ? FormattableString.Invariant($"user {entry.Uid}") : FormattableString.Invariant($"group {entry.Gid}");
            var root = entry.IsSetuid && entry.Uid == 0 ? " (root)" : string.Empty;
            var customary = Customary.Contains(file.Name);
            yield return Finding.For(
                Rule,
                target,
                ImageView.LocationOf(file),
                $"{file.Path} is {bits}: it runs as {owner}{root} whoever starts it{(customary ? "; a customary account tool of the base distribution" : string.Empty)}.",
                Evidence.Plain(ToolPresence.Describe(file)),
                customary ? Severity.Low : null);
        }
    }
}
