namespace Strata.Images.Hardening.Checks;

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The image's distribution release no longer gets (or soon stops getting) free security updates.</summary>
public sealed class OsEndOfLife(TimeProvider time, EndOfLifeTable table) : Check<ImageView>
{
    /// <summary>How long before the end of life the check starts to warn.</summary>
    public const int WarningDays = 90;

    public OsEndOfLife()
        : this(TimeProvider.System, EndOfLifeTable.Default)
    {
    }

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-002",
        Title = "Operating system past end of life",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "Once a distribution release reaches its end of life, no more security updates are published for its packages: every vulnerability found afterwards stays open in the image, and vulnerability scanners may stop reporting them. Reported HIGH past the end of free security support, LOW in the last 90 days before it and while only limited (LTS) support remains. Dates come from the distributions' own release pages (the embedded table lists its sources).",
        Remediation = "Rebuild on a supported release of the distribution (e.g. FROM debian:12-slim instead of debian:9), then test and redeploy. Keep base images on a release with more than a year of support left.",
        References = ["https://endoflife.date/", "https://wiki.debian.org/LTS", "https://ubuntu.com/about/release-cycle", "https://alpinelinux.org/releases/", "https://access.redhat.com/support/policy/updates/errata"],
        Equivalents = ["Trivy (OS end-of-life warning)"],
        Examples =
        [
            new RuleExample("/etc/os-release\nID=debian\nVERSION_ID=\"9\"\nVERSION_CODENAME=stretch", true, "Debian 9: free security support ended on 2022-07-01"),
            new RuleExample("/etc/os-release\nID=alpine\nVERSION_ID=3.24.0", false, "supported until 2028-06-01"),
        ],
    };

    public override bool AppliesTo(ImageView subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = OsRelease.Read(subject) is not { } os ? "no os-release file names the distribution"
            : table.Find(os) is null ? $"no end-of-life dates are known for {os.Describe()}"
            : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (OsRelease.Read(subject) is not { } os || table.Find(os) is not { } release || subject.Resolve(os.Path) is not { } file)
        {
            yield break;
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var name = os.Describe();
        var evidence = Evidence.Plain($"ID={os.Id} VERSION_ID={os.VersionId ?? "(none)"}; end of life {Format(release.Eol)}; sources: {string.Join(", ", release.Sources)}");
        var location = ImageView.LocationOf(file);
        if (today > release.Eol)
        {
            yield return Finding.For(Rule, context.Target, location, $"{name} reached its end of life on {Format(release.Eol)}: it gets no more security updates.", evidence);
        }
        else if (release.RegularEnd is { } regularEnd && today > regularEnd)
        {
            yield return Finding.For(Rule, context.Target, location, $"{name} left regular security support on {Format(regularEnd)}; only limited long-term support remains, until {Format(release.Eol)}.", evidence, Severity.Low);
        }
        else if (today.AddDays(WarningDays) > release.Eol)
        {
            yield return Finding.For(Rule, context.Target, location, $"{name} reaches its end of life on {Format(release.Eol)}, in {release.Eol.DayNumber - today.DayNumber} days.", evidence, Severity.Low);
        }
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
