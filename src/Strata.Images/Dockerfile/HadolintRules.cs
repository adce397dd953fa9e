namespace Strata.Images.Dockerfile;

using System.Globalization;
using System.Text;
using Strata.Core.Rules;

/// <summary>One of hadolint's DL rules: what it checks (in our words) and how Strata relates to it.</summary>
/// <param name="Id">e.g. DL3008.</param>
/// <param name="Checks">What hadolint checks, briefly.</param>
/// <param name="Note">Where Strata differs on purpose, or why it has no equivalent; null when it simply agrees.</param>
public sealed record HadolintRule(string Id, string Checks, string? Note = null);

/// <summary>
/// hadolint's DL rules (v2.12 and later) and their Strata equivalents, for the map in docs/rules/hadolint.md. Which
/// DKF rule covers a DL rule is not written here: it comes from the rules' <see cref="Rule.Equivalents"/>, so the
/// map cannot drift from the catalog.
/// </summary>
public static class HadolintRules
{
    public static IReadOnlyList<HadolintRule> All { get; } =
    [
        new("DL1001", "inline `# hadolint ignore=` pragmas", "Strata's suppressions live in the ignore file (`.strataignore`), with a reason and an expiry, not in the Dockerfile."),
        new("DL3000", "relative WORKDIR"),
        new("DL3001", "commands that make no sense in a container (ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig)", "Commands are recognised through sudo/env prefixes and paths."),
        new("DL3002", "last USER is root", "No USER at all is a separate finding (DKF-077; hadolint is silent). A last USER root whose ENTRYPOINT/CMD drops privileges (gosu, su-exec, setpriv, runuser) is LOW; a build stage ending as root is INFO."),
        new("DL3003", "cd instead of WORKDIR"),
        new("DL3004", "sudo"),
        new("DL3006", "FROM without a tag"),
        new("DL3007", "FROM with the latest tag"),
        new("DL3008", "apt-get install without version pins", "`pkg/release` is a release, not a pin; `apt` and `aptitude` are read like apt-get; programs are recognised through paths and sudo/env prefixes."),
        new("DL3009", "apt lists not deleted", "Only stages that ship and ONBUILD triggers; `apt-get dist-clean` and a cache mount on /var/lib/apt count."),
        new("DL3010", "a local archive copied and then extracted (ADD extracts)", "A plain `.gz` that is not a tarball is not reported (ADD would not unpack it)."),
        new("DL3011", "EXPOSE port outside 0-65535"),
        new("DL3012", "several HEALTHCHECK"),
        new("DL3013", "pip install without version pins", "`python -m pip`, pipx and versioned pip names are read; local paths, `.[extras]`, VCS URLs and wheels are exempt."),
        new("DL3014", "apt-get install without -y", "`-qq` and `--quiet --quiet` imply -y; `-s`/`--simulate` needs none."),
        new("DL3015", "apt-get install without --no-install-recommends", "Only stages that ship (the final stage and those it is built FROM) and ONBUILD triggers: a builder stage copied from selectively does not ship its packages."),
        new("DL3016", "npm install without version pins", "`@latest`, `@next` and `@*` are not pins; `npm i`/`npm add` are installs."),
        new("DL3018", "apk add without version pins"),
        new("DL3019", "apk add without --no-cache", "Only stages that ship and ONBUILD triggers; removing /var/cache/apk counts."),
        new("DL3020", "ADD where COPY fits", "`ADD local.tar.gz /dst` (also .tgz, .bz2, .xz, .zst) extracts and is not reported."),
        new("DL3021", "COPY with more than two arguments and a destination without a trailing /", "ADD is checked as well as COPY."),
        new("DL3022", "COPY --from naming a stage not defined before", "DKF-026 also reports --from naming a stage defined later (BuildKit refuses it)."),
        new("DL3023", "COPY --from naming its own stage"),
        new("DL3024", "duplicate stage name"),
        new("DL3025", "CMD/ENTRYPOINT in shell form", "HEALTHCHECK CMD in shell form is reported too, as INFO."),
        new("DL3026", "FROM an image outside the allowed registries", "Silent without a configured list (hadolint's `trustedRegistries` from `.hadolint.yaml` or `--dockerfile-config`); stage names and numbers and `scratch` are exempt; registry names match ignoring case."),
        new("DL3027", "apt instead of apt-get"),
        new("DL3028", "gem install without version pins", "`gem install --no-document rails` is unpinned (hadolint skips the word after every option)."),
        new("DL3029", "FROM --platform with a fixed value", "`$BUILDOS`, `$TARGETARCH` and the other platform parts count as fixed platforms too."),
        new("DL3030", "yum install without -y"),
        new("DL3032", "yum without clean-up"),
        new("DL3033", "yum install without version pins", "rpm names with a dash (`java-17-openjdk`) are names; the version part must start with a digit. Groups (`@x`) are not reported."),
        new("DL3034", "zypper without a non-interactive switch"),
        new("DL3035", "zypper dist-upgrade", "DKF-015 covers every whole-distribution upgrade (apt-get dist-upgrade/full-upgrade, zypper dup, dnf/yum distro-sync). Plain upgrades, which apply security fixes, are not reported (hadolint retired DL3005, DL3031 and DL3039)."),
        new("DL3036", "zypper without clean-up"),
        new("DL3037", "zypper install without version pins"),
        new("DL3038", "dnf install without -y"),
        new("DL3040", "dnf without clean-up"),
        new("DL3041", "dnf install without version pins", "Also microdnf, dnf5 and tdnf; same version syntax as yum."),
        new("DL3042", "pip install keeping its cache", "Only stages that ship and ONBUILD triggers; PIP_NO_CACHE_DIR=1 (ENV, export or prefix) and a cache or tmpfs mount on the pip cache count."),
        new("DL3043", "ONBUILD of ONBUILD, FROM or MAINTAINER", "A parse error here, as in BuildKit, which refuses such a Dockerfile: the target fails (exit 3) with the line, rather than a finding."),
        new("DL3044", "ENV referring to a variable set in the same ENV"),
        new("DL3045", "COPY to a relative destination with no WORKDIR set"),
        new("DL3046", "useradd with a large UID and without -l", "A UID that comes from a variable is reported."),
        new("DL3047", "wget without --progress"),
        new("DL3048", "invalid label key"),
        new("DL3049", "required label missing (label schema)", "Only stages that can become an image are checked."),
        new("DL3050", "label not in the schema (strict labels)"),
        new("DL3051", "empty label (label schema)", "An empty value is reported once, here, not again by the format rules (DL3052 to DL3058)."),
        new("DL3052", "label that should be a URL is not one"),
        new("DL3053", "label that should be an RFC 3339 time is not one"),
        new("DL3054", "label that should be an SPDX licence is not one"),
        new("DL3055", "label that should be a git hash is not one"),
        new("DL3056", "label that should be a semantic version is not one"),
        new("DL3057", "no HEALTHCHECK", "Final stage only: LOW when the image has a CMD or ENTRYPOINT, INFO for what looks like a base image, silent with ONBUILD (hadolint has the rule off by default)."),
        new("DL3058", "label that should be an e-mail address is not one"),
        new("DL3059", "consecutive RUN instructions"),
        new("DL3060", "yarn install without yarn cache clean"),
        new("DL3061", "instruction before FROM other than ARG", "A parse error here, as in BuildKit: the target fails (exit 3) naming the line."),
        new("DL3062", "go install without a version", "`@latest`, `@master`, `@main`, `@HEAD` are not pins."),
        new("DL3063", "stage named with a reserved word"),
        new("DL3064", "secret-looking data in ARG or ENV", "A value of a known token format is CRITICAL whatever the name; names that only point at a secret (`*_FILE`, `*_URL`, `*_USERNAME`) are not reported."),
        new("DL3065", "FROM --platform=$TARGETPLATFORM (redundant)"),
        new("DL3066", "USER with a non-numeric user", "LOW on the final image's USER, INFO elsewhere."),
        new("DL3067", "COPY --from copying a whole filesystem", "Only the root `/` copied onto `/`."),
        new("DL4000", "MAINTAINER"),
        new("DL4001", "both wget and curl"),
        new("DL4003", "several CMD"),
        new("DL4004", "several ENTRYPOINT"),
        new("DL4005", "changing the shell with ln instead of SHELL", "Only a link that replaces /bin/sh."),
        new("DL4006", "pipe without pipefail", "`SHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]` does not count (dash, Debian's /bin/sh, has no pipefail); `set -o pipefail` in the RUN does."),
    ];

    /// <summary>The DKF rules of <paramref name="rules"/> that name <paramref name="id"/> as an equivalent.</summary>
    public static IEnumerable<Rule> EquivalentsOf(string id, IEnumerable<Rule> rules) =>
        rules.Where(r => r.Equivalents.Any(e => string.Equals(e, "Hadolint " + id, StringComparison.Ordinal) || e.StartsWith("Hadolint " + id + " ", StringComparison.Ordinal)));

    /// <summary>The map of every DL rule to its DKF equivalents, as a Markdown page.</summary>
    public static string Markdown(IEnumerable<Rule> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var dkf = catalog.Where(r => r.Id.StartsWith("DKF-", StringComparison.Ordinal)).ToList();
        var covered = All.Count(h => EquivalentsOf(h.Id, dkf).Any() || h.Id is "DL3043" or "DL3061");
        var page = new StringBuilder();
        page.Append("# hadolint rules and their Strata equivalents\n\n")
            .Append("Generated from the rule catalog (`strata rules docs docs/rules`): a DL rule is covered when a DKF rule names it among its\n")
            .Append("equivalents. See [docs/dockerfile-lint.md](../dockerfile-lint.md) for what Strata checks beyond hadolint.\n\n")
            .Append(CultureInfo.InvariantCulture, $"{covered} of {All.Count} DL rules covered ({covered * 100 / All.Count}%).\n\n")
            .Append("| hadolint | checks | Strata | note |\n|---|---|---|---|\n");
        foreach (var rule in All)
        {
            var equivalents = EquivalentsOf(rule.Id, dkf).Select(r => $"[{r.Id}]({r.Id}.md)").ToList();
            var strata = equivalents.Count > 0 ? string.Join(", ", equivalents) : rule.Id is "DL3043" or "DL3061" ? "parse error" : "—";
            page.Append(CultureInfo.InvariantCulture, $"| {rule.Id} | {rule.Checks} | {strata} | {rule.Note ?? string.Empty} |\n");
        }

        return page.ToString();
    }
}

/// <summary>The DKF rules with their equivalents in hadolint, Trivy, Checkov and Dockle, as the Markdown page docs/rules/dockerfile.md.</summary>
public static class DockerfileRuleMap
{
    private static readonly (string Tool, string Column)[] Tools = [("Hadolint", "hadolint"), ("Trivy", "Trivy"), ("Checkov", "Checkov"), ("Dockle", "Dockle")];

    public static string Markdown(IEnumerable<Rule> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var page = new StringBuilder();
        page.Append("# Dockerfile rules and their equivalents\n\n")
            .Append("Generated from the rule catalog (`strata rules docs docs/rules`). [hadolint.md](hadolint.md) goes the other way, from every\n")
            .Append("hadolint rule to the DKF rule that covers it; [docs/dockerfile-lint.md](../dockerfile-lint.md) says what the lint reads and where it differs on purpose.\n\n")
            .Append("| Rule | Severity | What it finds | ").Append(string.Join(" | ", Tools.Select(t => t.Column))).Append(" |\n")
            .Append("|---|---|---|").Append(string.Concat(Tools.Select(_ => "---|"))).Append('\n');
        foreach (var rule in catalog.Where(r => r.Id.StartsWith("DKF-", StringComparison.Ordinal)).OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            page.Append(CultureInfo.InvariantCulture, $"| [{rule.Id}]({rule.Id}.md) | {rule.Severity.ToString().ToUpperInvariant()} | {rule.Title} |");
            foreach (var (tool, _) in Tools)
            {
                var ids = rule.Equivalents.Where(e => e.StartsWith(tool + " ", StringComparison.Ordinal)).Select(e => e[(tool.Length + 1)..]).ToList();
                page.Append(' ').Append(ids.Count == 0 ? "—" : string.Join(", ", ids)).Append(" |");
            }

            page.Append('\n');
        }

        return page.ToString();
    }
}
