namespace Strata.Core.Tests;

using Strata.Core.Findings;
using Strata.Core.Ignoring;

public sealed class IgnoreTests
{
    private static Finding Make(string rule, string? path = null, string target = "img") => new()
    {
        RuleId = rule,
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Title = "t",
        Message = "m",
        Target = target,
        Location = new Location { Path = path },
    };

    [Fact]
    public void Rule_id_path_glob_and_fingerprint_entries_suppress_and_expired_ones_do_not()
    {
        var findings = new[] { Make("SEC-1", "/etc/app/key.pem"), Make("SEC-1", "/opt/other"), Make("DKF-001"), Make("KRN-001", target: "host") };
        var entries = IgnoreFile.Parse($"""
            - id: SEC-1
              paths: ["etc/**"]
              reason: test key shipped on purpose
            - id: DKF-001
              reason: base image decides
              expires: 2026-01-31
            - id: {findings[3].Fingerprint}
              reason: accepted on this host
              expires: 2027-01-01
            """, ".strataignore");

        var outcome = IgnoreMatcher.Apply(findings, entries, new DateOnly(2026, 6, 1), ".strataignore");
        Assert.Equal(new string?[] { "/opt/other", null }, outcome.Kept.Select(f => f.Location.Path));
        Assert.Equal("DKF-001", outcome.Kept[1].RuleId);
        Assert.Equal(2, outcome.Suppressed.Count);
        var warning = Assert.Single(outcome.Warnings);
        Assert.Contains(".strataignore:4", warning, StringComparison.Ordinal);
        Assert.Contains("expired on 2026-01-31", warning, StringComparison.Ordinal);

        // The expiry day itself still suppresses.
        var onTheDay = IgnoreMatcher.Apply(findings, entries, new DateOnly(2026, 1, 31), ".strataignore");
        Assert.Empty(onTheDay.Warnings);
        Assert.DoesNotContain(onTheDay.Kept, f => f.RuleId == "DKF-001");
    }

    [Theory]
    [InlineData("- id: X\n", "no reason", ":1")]
    [InlineData("- reason: why\n", "no id", ":1")]
    [InlineData("- id: X\n  reason: r\n  expires: next week\n", "YYYY-MM-DD", ":3")]
    [InlineData("- id: X\n  reason: r\n  colour: red\n", "unknown key 'colour'", ":3")]
    [InlineData("id: X\n", "expected a list", ":1")]
    [InlineData("- id: [unclosed\n", "malformed YAML", ".strataignore:")]
    [InlineData("- id: x\n  reason: y\n  ? []\n", "a key must be a name", ":3")]
    public void Bad_ignore_files_name_the_line(string text, string what, string where)
    {
        var error = Assert.Throws<StrataException>(() => IgnoreFile.Parse(text, ".strataignore"));
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.Contains(".strataignore" + where.TrimStart('.').Replace("strataignore", string.Empty, StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("etc/**", "etc/a/b/c", true)]
    [InlineData("etc/*", "etc/a/b", false)]
    [InlineData("**/id_rsa", "home/u/.ssh/id_rsa", true)]
    [InlineData("**/id_rsa", "id_rsa", true)]
    [InlineData("usr/share/doc/*/README?", "usr/share/doc/x/README1", true)]
    public void Globs(string glob, string path, bool matches) => Assert.Equal(matches, IgnoreMatcher.GlobToRegex(glob).IsMatch(path));

    [Fact]
    public void Fingerprint_ignores_message_line_and_evidence_but_not_location()
    {
        var a = Make("SEC-1", "/a") with { Message = "one", Evidence = Evidence.Secret("abcdefgh") };
        var b = a with { Message = "two", Evidence = null, Location = a.Location with { Line = 9 } };
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, Make("SEC-1", "/b").Fingerprint);
        Assert.Matches("^[0-9a-f]{16}$", a.Fingerprint);
    }
}
