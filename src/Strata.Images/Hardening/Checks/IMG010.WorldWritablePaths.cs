namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci.Layers;

/// <summary>World-writable files, and world-writable directories without the sticky bit.</summary>
public sealed class WorldWritablePaths : Check<ImageView>
{
    private const int OthersWrite = 0x2;
    private const int Sticky = 0x200;

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-010",
        Title = "World-writable file or directory",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "Any user in the container can change a world-writable file (a script, a config, a library) and so the behaviour of whatever reads or runs it, often a more privileged process. In a world-writable directory without the sticky bit anyone can also delete or replace other users' files. Directories with the sticky bit (/tmp, 1777) are fine; symlinks and device nodes are not reported.",
        Remediation = "Remove write permission for others (chmod o-w) in the build, or make shared scratch directories sticky (chmod 1777). Give the application's user ownership of what it must write instead of opening it to everyone.",
        References = ["https://man7.org/linux/man-pages/man1/chmod.1.html"],
        Equivalents = ["CIS Docker Benchmark 4.8 (related)"],
        Examples =
        [
            new RuleExample("drwxrwxrwx 0 0 /data/shared", true),
            new RuleExample("-rw-rw-rw- 0 0 /etc/app.conf", true),
            new RuleExample("drwxrwxrwt 0 0 /tmp", false, "sticky"),
            new RuleExample("lrwxrwxrwx 0 0 /bin/sh -> dash", false, "symlink permissions mean nothing"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        return Find(subject, context.Target);
    }

    private static bool IsReported(EntryType type, int mode) =>
        (mode & OthersWrite) != 0
        && type is EntryType.File or EntryType.HardLink or EntryType.Directory or EntryType.Fifo
        && !(type == EntryType.Directory && (mode & Sticky) != 0);

    private IEnumerable<Finding> Find(ImageView image, string target)
    {
        foreach (var file in image.FilesWhere(static (type, mode) => IsReported(type, mode)))
        {
            var entry = file.Entry;
            var message = entry.Type == EntryType.Directory
                ? $"The directory {file.Path} is world-writable without the sticky bit: any user can add, delete or replace files in it."
                : $"{file.Path} is world-writable: any user in the container can change it.";
            yield return Finding.For(Rule, target, ImageView.LocationOf(file), message, Evidence.Plain(ToolPresence.Describe(file)));
        }
    }
}
