namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Reports the distribution and version the image is built on, from os-release.</summary>
public sealed class ImageOs : Check<ImageView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "IMG-001",
        Title = "Image operating system",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "The distribution and release an image is built on decide which security updates it can get and for how long. It is read from os-release (/etc/os-release, else /usr/lib/os-release). An image without one is usually built FROM scratch or on distroless static, with no distribution packages at all.",
        Remediation = "Nothing to fix: this is information. Prefer a maintained, minimal base (distroless, a slim variant, Alpine, UBI micro) and rebuild when it is updated.",
        References = ["https://www.freedesktop.org/software/systemd/man/latest/os-release.html"],
        Examples =
        [
            new RuleExample("/etc/os-release\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"", true, "reported as information"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var os = OsRelease.Read(subject);
        if (os is null)
        {
            // A root filesystem scanned by a user who may not read /etc has one, unseen: say so rather than "none".
            var message = OsRelease.Locations.Select(subject.SkippedAbove).FirstOrDefault(s => s is not null) is { } unread
                ? $"os-release could not be read (/{unread.Path}: {unread.Reason}): the distribution cannot be identified."
                : "No os-release file: the distribution cannot be identified (an image FROM scratch or distroless static has none).";
            yield return Finding.For(Rule, context.Target, new Location { Path = "/etc/os-release" }, message);
            yield break;
        }

        var file = subject.Resolve(os.Path) ?? throw new InvalidOperationException("os-release vanished");
        var evidence = $"ID={os.Id} VERSION_ID={os.VersionId ?? "(none)"}" + (os.PrettyName is null ? string.Empty : $" PRETTY_NAME=\"{os.PrettyName}\"");
        yield return Finding.For(Rule, context.Target, ImageView.LocationOf(file), $"The image runs {os.Describe()} (from {os.Path}).", Evidence.Plain(evidence));
    }
}
