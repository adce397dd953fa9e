namespace Strata.Images.Hardening.Checks;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Reports how many OS packages the image carries, from its package database.</summary>
public sealed class PackageCount : Check<ImageView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "IMG-003",
        Title = "Installed package count",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "Every installed package is code that can carry vulnerabilities and tools an attacker can use. The count comes from the package database: dpkg (/var/lib/dpkg/status, or status.d on distroless), apk (/lib/apk/db/installed); for rpm only the database's presence is reported.",
        Remediation = "Nothing to fix: this is information. To shrink it, start from a slim or distroless base and install with --no-install-recommends (apt) or --no-cache (apk).",
        References = ["https://www.debian.org/doc/debian-policy/ch-controlfields.html", "https://wiki.alpinelinux.org/wiki/Apk_spec"],
        Examples =
        [
            new RuleExample("/var/lib/dpkg/status\nPackage: bash\nStatus: install ok installed\n\nPackage: old\nStatus: deinstall ok config-files", true, "1 package installed (config-files only is not installed)"),
            new RuleExample("-rwxr-xr-x 0 0 /app/server", false, "no package database (FROM scratch, distroless static)"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var database in InstalledPackages.Read(subject))
        {
            var location = subject.Resolve(database.DatabasePath) is { } file ? ImageView.LocationOf(file) : new Location { Path = database.DatabasePath };
            location = location with { Path = database.DatabasePath };
            var message = database.Count is int count
                ? string.Create(CultureInfo.InvariantCulture, $"{count} packages installed ({database.Manager}, {database.DatabasePath}).")
                : $"An {database.Manager} database is present ({database.DatabasePath}); its packages are not counted.";
            yield return Finding.For(Rule, context.Target, location, message);
        }
    }
}
