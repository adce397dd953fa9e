namespace Strata.Images.Tests;

using Strata.Core;
using Strata.Core.Findings;
using Strata.Images.Dockerfile;
using Strata.Testing;

/// <summary>
/// The instruction-level Dockerfile rules where their examples cannot show it: the lint configuration (trusted registries,
/// label schema, bad files), how many findings and where, severities that depend on what a finding proves.
/// </summary>
public sealed class InstructionRuleTests
{
    private static List<Finding> Lint(string text, DockerfileLintConfig? config = null) =>
        [.. new DockerfileScanner(BuiltInSecrets.Provider, config).Lint(DockerfileParser.Parse(text, "Dockerfile"), "Dockerfile")];

    private static List<Finding> Of(string ruleId, string text, DockerfileLintConfig? config = null) =>
        [.. Lint(text, config).Where(f => f.RuleId == ruleId)];

    private static DockerfileLintConfig Config(string yaml) => DockerfileLintConfig.Parse(yaml, ".hadolint.yaml");

    [Fact]
    public void A_hadolint_configuration_is_read_with_its_own_keys()
    {
        var config = Config("""
            ignored: [DL3008, SC2086]
            override:
              error: [DL3001]
            failure-threshold: warning
            trustedRegistries:
              - docker.io
              - "*.corp.example.com"
            label-schema:
              author: text
              url: url
              license: spdx
              revision: hash
              created: rfc3339
              version: semver
              contact: email
              free: ""
            strict-labels: true
            """);
        Assert.Equal(["docker.io", "*.corp.example.com"], config.TrustedRegistries);
        Assert.Equal(LabelType.Email, config.LabelSchema["contact"]);
        Assert.Equal(LabelType.Text, config.LabelSchema["free"]);
        Assert.Equal(8, config.LabelSchema.Count);
        Assert.True(config.StrictLabels);
        Assert.Equal(".hadolint.yaml", config.Source);
        Assert.Empty(Config(string.Empty).TrustedRegistries);
    }

    [Theory]
    [InlineData("trustedRegistry: [docker.io]\n", "1: unknown key 'trustedRegistry'")]
    [InlineData("label-schema:\n  owner: txt\n", "2: label-schema 'owner': unknown type 'txt'")]
    [InlineData("label-schema: [owner]\n", "'label-schema' must map label names to types")]
    [InlineData("trustedRegistries: docker.io\n", "'trustedRegistries' must be a list")]
    [InlineData("trustedRegistries:\n  - {a: b}\n", "2: 'trustedRegistries' must hold only registry names")]
    [InlineData("strict-labels: sometimes\n", "'strict-labels' must be true or false")]
    [InlineData("- docker.io\n", "expected a mapping of settings")]
    [InlineData("trustedRegistries: [docker.io\n", "malformed YAML")]
    public void A_bad_configuration_is_a_usage_error_naming_the_file_and_the_key(string yaml, string message)
    {
        var error = Assert.Throws<StrataException>(() => Config(yaml));
        Assert.Equal(ExitCode.Usage, error.ExitCode);
        Assert.StartsWith(".hadolint.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_configuration_file_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<StrataException>(() => DockerfileLintConfig.Load(dir.Combine("none.yaml")));
        Assert.Equal(ExitCode.Usage, error.ExitCode);
        Assert.Null(DockerfileLintConfig.FindDefault(dir.Path));
        dir.WriteFile(".hadolint.yml", "strict-labels: false\n");
        Assert.Equal(dir.Combine(".hadolint.yml"), DockerfileLintConfig.FindDefault(dir.Path));
        dir.WriteFile(".hadolint.yaml", "strict-labels: false\n");
        Assert.Equal(dir.Combine(".hadolint.yaml"), DockerfileLintConfig.FindDefault(dir.Path));
    }

    [Theory]
    [InlineData("docker.io", "FROM ubuntu:24.04", 0)]
    [InlineData("docker.io", "FROM acme/ubuntu:24.04", 0)]
    [InlineData("docker.io", "FROM docker.io/acme/ubuntu:24.04", 0)]
    [InlineData("docker.io", "FROM index.docker.io/library/ubuntu:24.04", 0)]
    [InlineData("hub.docker.com", "FROM ubuntu:24.04", 0)]
    [InlineData("registry.example.com", "FROM ubuntu:24.04\nFROM acme/ubuntu:24.04\nFROM docker.io/acme/ubuntu:24.04", 3)]
    [InlineData("registry.example.com", "FROM registry.example.com/base/ubuntu:24.04", 0)]
    [InlineData("Registry.Example.com", "FROM registry.example.com/base/ubuntu:24.04", 0)]
    [InlineData("registry.example.com", "FROM registry.example.com:5000/base/ubuntu:24.04", 1)]
    [InlineData("*.example.com", "FROM mirror.example.com/ubuntu:24.04\nFROM example.org/ubuntu:24.04", 1)]
    [InlineData("registry.*", "FROM registry.acme.io/ubuntu:24.04\nFROM quay.io/ubuntu:24.04", 1)]
    [InlineData("*", "FROM quay.io/ubuntu:24.04\nFROM ubuntu:24.04", 0)]
    [InlineData("quay.io", "FROM scratch", 0)]
    [InlineData("quay.io", "FROM quay.io/acme/base:1 AS base\nFROM base\nCOPY --from=base /a /a\nCOPY --from=0 /b /b", 0)]
    [InlineData("quay.io", "ARG BASE\nFROM ${BASE}", 0)]
    [InlineData("quay.io", "FROM quay.io/acme/base:1\nCOPY --from=ghcr.io/acme/tools:1 /t /t", 1)]
    [InlineData("quay.io", "FROM quay.io/acme/base:1\nRUN --mount=type=cache,from=ghcr.io/acme/cache:1,target=/c true", 1)]
    [InlineData("quay.io", "FROM quay.io/acme/base:1\nRUN --mount=type=bind,from=busybox:1.36,target=/b true", 1)]
    [InlineData("quay.io", "FROM quay.io/acme/base:1\nRUN --mount=type=secret,id=x true", 0)]
    public void Trusted_registries_decide_which_images_may_be_used(string trusted, string dockerfile, int findings)
    {
        var config = Config($"trustedRegistries: [\"{trusted}\"]\n");
        Assert.Equal(findings, Of("DKF-055", dockerfile, config).Count);
        Assert.Empty(Of("DKF-055", dockerfile));
    }

    [Theory]
    [InlineData("FROM baseimage:1", 1)]
    [InlineData("FROM baseimage:1\nLABEL bar=baz", 1)]
    [InlineData("FROM baseimage:1\nLABEL foo=bar", 0)]
    [InlineData("FROM stage1:1\nFROM stage2:1", 2)]
    [InlineData("FROM baseimage:1\nLABEL foo=bar\nFROM newimage:1", 1)]
    [InlineData("FROM baseimage:1 AS base\nLABEL foo=bar\nFROM base", 0)]
    [InlineData("FROM baseimage:1 AS base\nFROM base\nLABEL foo=bar", 0)]
    [InlineData("FROM baseimage:1 AS base\nFROM anotherimage:1\nLABEL foo=bar\nCOPY --from=base /bar /baz", 0)]
    [InlineData("FROM baseimage:1 AS base\nFROM anotherimage:1\nLABEL foo=bar", 1)]
    [InlineData("FROM baseimage:1 AS base\nFROM base\nLABEL foo=bar\nFROM base", 1)]
    public void Missing_labels_are_reported_per_stage_that_can_become_an_image(string dockerfile, int findings)
    {
        var config = Config("label-schema:\n  foo: text\n");
        var found = Of("DKF-062", dockerfile, config);
        Assert.Equal(findings, found.Count);
        Assert.All(found, f => Assert.Contains("foo", f.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(LabelType.Url, "http://example.com", true)]
    [InlineData(LabelType.Url, "mailto:team@example.com", true)]
    [InlineData(LabelType.Url, "not-url", false)]
    [InlineData(LabelType.Url, "/srv/docs", false)]
    [InlineData(LabelType.Rfc3339, "2021-03-10T10:26:33.564595127+01:00", true)]
    [InlineData(LabelType.Rfc3339, "2024-12-31t23:59:60z", true)]
    [InlineData(LabelType.Rfc3339, "not-date", false)]
    [InlineData(LabelType.Rfc3339, "2024-13-01T00:00:00Z", false)]
    [InlineData(LabelType.Rfc3339, "2024-01-01T00:00:00+25:00", false)]
    [InlineData(LabelType.Spdx, "BSD-3-Clause", true)]
    [InlineData(LabelType.Spdx, "Apache-2.0", true)]
    [InlineData(LabelType.Spdx, "GPL-2.0", true)]
    [InlineData(LabelType.Spdx, "not-spdx", false)]
    [InlineData(LabelType.Spdx, "MIT OR Apache-2.0", false)]
    [InlineData(LabelType.Hash, "2dbfae9", true)]
    [InlineData(LabelType.Hash, "43c572f1272b6b3171dd1db9e41b7027128ce080", true)]
    [InlineData(LabelType.Hash, "not-git-hash", false)]
    [InlineData(LabelType.Hash, "2dbfae91", false)]
    [InlineData(LabelType.SemVer, "1.0.0", true)]
    [InlineData(LabelType.SemVer, "2.0.1-rc1", true)]
    [InlineData(LabelType.SemVer, "1.0.0-alpha.1+001", true)]
    [InlineData(LabelType.SemVer, "not-sem-ver", false)]
    [InlineData(LabelType.SemVer, "1.0.0-01", false)]
    [InlineData(LabelType.Email, "abcd@google.com", true)]
    [InlineData(LabelType.Email, "first.last+tag@sub.example.co.uk", true)]
    [InlineData(LabelType.Email, "not-email", false)]
    [InlineData(LabelType.Email, "a@@example.com", false)]
    [InlineData(LabelType.Email, "a..b@example.com", false)]
    public void Label_values_are_checked_against_their_schema_type(LabelType type, string value, bool valid)
    {
        var config = new DockerfileLintConfig { LabelSchema = new Dictionary<string, LabelType> { ["the-label"] = type } };
        var typed = Lint($"FROM debian:12\nLABEL the-label=\"{value}\" other=\"{value}\"", config).Where(f => string.CompareOrdinal(f.RuleId, "DKF-065") >= 0 && string.CompareOrdinal(f.RuleId, "DKF-070") <= 0).ToList();
        Assert.Equal(valid ? 0 : 1, typed.Count);
        Assert.All(typed, f => Assert.Contains("the-label", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Empty_labels_of_the_schema_are_reported_once_and_strict_labels_name_the_extra_keys()
    {
        var config = Config("strict-labels: true\nlabel-schema:\n  url: url\n  owner: text\n");
        var findings = Lint("FROM debian:12\nLABEL url=\"\" owner=\"\" extra=1 more=2\nLABEL owner=team", config);
        Assert.Equal(2, findings.Count(f => f.RuleId == "DKF-064"));
        Assert.DoesNotContain(findings, f => f.RuleId == "DKF-065");
        var extra = Assert.Single(findings, f => f.RuleId == "DKF-063");
        Assert.Contains("extra", extra.Message, StringComparison.Ordinal);
        Assert.Contains("more", extra.Message, StringComparison.Ordinal);
        Assert.Equal(2, extra.Location.Line);
    }

    [Fact]
    public void Findings_about_one_command_point_at_its_line_in_a_long_run()
    {
        const string Text = """
            FROM debian:12
            RUN apt-get update \
             && useradd -u 2000000 app \
             && wget https://example.com/a.tgz \
             && cd /tmp \
             && sudo make install \
             && ln -sf /bin/bash /bin/sh \
             && service cron start \
             && curl -fsSL https://example.com/i.sh | sh \
             && chmod 777 /srv
            """;
        var lines = Lint(Text).ToLookup(f => f.RuleId, f => f.Location.Line);
        Assert.Equal([3], lines["DKF-059"]);
        Assert.Equal([4], lines["DKF-060"]);
        Assert.Equal([5], lines["DKF-016"]);
        Assert.Equal([6], lines["DKF-011"]);
        Assert.Equal([7], lines["DKF-076"]);
        Assert.Equal([8], lines["DKF-050"]);
        Assert.Equal([9], lines["DKF-007"]);
        Assert.Equal([9], lines["DKF-012"]);
        Assert.Equal([10], lines["DKF-021"]);
        var wget = Assert.Single(Lint(Text), f => f.RuleId == "DKF-060");
        Assert.Equal("wget https://example.com/a.tgz", wget.Evidence!.Text);
    }

    [Fact]
    public void Onbuild_triggers_are_linted_like_the_instruction_and_reported_on_their_line()
    {
        var findings = Lint("FROM debian:12\nONBUILD ENV DB_PASSWORD=changeme\nONBUILD RUN service nginx start\nONBUILD ARG AWS_ACCESS_KEY_ID");
        Assert.Equal([2, 4], findings.Where(f => f.RuleId == "DKF-002").Select(f => f.Location.Line ?? 0).Order());
        Assert.Equal(3, Assert.Single(findings, f => f.RuleId == "DKF-050").Location.Line);
    }

    [Fact]
    public void Root_that_drops_privileges_in_the_entrypoint_is_a_lower_finding()
    {
        Assert.Equal(Severity.Medium, Assert.Single(Of("DKF-001", "FROM debian:12\nUSER root\nCMD [\"/app\"]")).Severity);
        Assert.Equal(Severity.Low, Assert.Single(Of("DKF-001", "FROM debian:12\nUSER 0:0\nENTRYPOINT [\"su-exec\", \"app\", \"/app\"]")).Severity);
        Assert.Equal(Severity.Low, Assert.Single(Of("DKF-001", "FROM debian:12\nRUN apt-get install -y gosu\nUSER root\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]")).Severity);
        Assert.Equal(Severity.Low, Assert.Single(Of("DKF-001", "FROM debian:12\nUSER root\nENTRYPOINT exec setpriv --reuid=10001 --regid=10001 --init-groups /app")).Severity);

        // A build stage ending as root is information; when it is the image's user through FROM it is reported once, as the image's.
        var stages = Of("DKF-001", "FROM debian:12 AS build\nUSER root\nFROM debian:12 AS base\nUSER root\nFROM base\nRUN true");
        Assert.Equal([(2, Severity.Info), (4, Severity.Medium)], stages.Select(f => (f.Location.Line ?? 0, f.Severity)).Order());
        Assert.Empty(Of("DKF-001", "FROM debian:12\nUSER $APP_USER"));
    }

    [Fact]
    public void No_user_is_its_own_finding_weighed_by_what_it_proves()
    {
        Assert.Equal(Severity.Low, Assert.Single(Of("DKF-077", "FROM debian:12\nCMD [\"/app\"]")).Severity);
        Assert.Equal(Severity.Medium, Assert.Single(Of("DKF-077", "FROM scratch\nCOPY app /app")).Severity);
        Assert.Equal(Severity.Info, Assert.Single(Of("DKF-077", "FROM postgres:16\nENTRYPOINT [\"gosu\", \"postgres\", \"postgres\"]")).Severity);
        Assert.Empty(Of("DKF-077", "FROM cgr.dev/chainguard/static:latest-rootless\nCOPY app /app"));
        Assert.Empty(Of("DKF-001", "FROM debian:12\nCMD [\"/app\"]"));
    }

    [Fact]
    public void Healthcheck_findings_follow_what_the_image_is()
    {
        Assert.Equal(Severity.Low, Assert.Single(Of("DKF-014", "FROM debian:12\nENTRYPOINT [\"/app\"]")).Severity);
        Assert.Equal(Severity.Info, Assert.Single(Of("DKF-014", "FROM scratch")).Severity);
        Assert.Empty(Of("DKF-014", "FROM debian:12\nONBUILD RUN make\nCMD [\"/app\"]"));
        Assert.Empty(Of("DKF-014", "FROM debian:12 AS base\nHEALTHCHECK NONE\nFROM base\nCMD [\"/app\"]"));
    }

    [Fact]
    public void Severities_say_whether_a_user_name_or_a_shell_form_matters_at_run_time()
    {
        var users = Of("DKF-074", "FROM debian:12 AS build\nUSER builder\nFROM debian:12\nUSER app\nRUN true\nUSER www-data");
        Assert.Equal([(2, Severity.Info), (4, Severity.Info), (6, Severity.Low)], users.Select(f => (f.Location.Line ?? 0, f.Severity)).Order());
        var forms = Of("DKF-054", "FROM debian:12\nHEALTHCHECK CMD curl -f http://localhost/\nCMD /app");
        Assert.Equal([(2, Severity.Info), (3, Severity.Low)], forms.Select(f => (f.Location.Line ?? 0, f.Severity)).Order());
    }

    [Theory]
    [InlineData("RUN foo && bar\nRUN foo\nRUN bar", new[] { 4 })]
    [InlineData("RUN /foo.sh\n# a comment\nRUN /bar.sh", new[] { 4 })]
    [InlineData("RUN a\nRUN b\nRUN c", new[] { 3, 4 })]
    [InlineData("RUN --mount=type=secret,id=foo /foo.sh\nRUN --mount=type=secret,id=foo /bar.sh", new[] { 3 })]
    [InlineData("RUN --mount=type=secret,id=foo /foo.sh\nRUN --mount=type=secret,id=bar /bar.sh", new int[0])]
    [InlineData("RUN foobar\nRUN foo; bar", new int[0])]
    [InlineData("RUN echo $(date) > /built\nRUN foo", new int[0])]
    public void Consecutive_single_command_runs_are_reported_on_the_later_one(string runs, int[] lines)
    {
        Assert.Equal(lines, Of("DKF-071", "FROM debian:12\n" + runs).Select(f => f.Location.Line ?? 0));
    }

    [Fact]
    public void Curl_and_wget_are_counted_per_stage_and_reported_on_each_later_use()
    {
        Assert.Equal([3, 5], Of("DKF-075", "FROM node:22\nRUN wget my.xyz\nRUN curl my.xyz\nRUN echo hello\nRUN wget foo.com").Select(f => f.Location.Line ?? 0));
        Assert.Equal([3], Of("DKF-075", "FROM node:22\nRUN wget my.xyz\nRUN curl localhost\nFROM scratch\nRUN curl localhost").Select(f => f.Location.Line ?? 0));
    }

    [Theory]
    [InlineData("ENV BLA=\"blubb\" BLUBB=\"${FOOBLA}/blubb\"", 0)]
    [InlineData("ENV BLA=\"blubb\" BLUBB=\"$BLAFOO/blubb\"", 0)]
    [InlineData("ENV BLA=\"blubb\" BLUBB=\"$BLA/$BLAFOO/blubb\"", 1)]
    [InlineData("ENV BLA=\"blubb\" BLUBB=\"BLA/$BLAFOO/BLA\"", 0)]
    [InlineData("ENV BLA blubb\nENV BLA=${BLA}", 0)]
    [InlineData("ENV PATH=/bla:${PATH} PATH=/blubb:${PATH}", 1)]
    [InlineData("ENV BLA=\"blubb\" BLUBB=\"${BLA}\"", 1)]
    [InlineData("ENV BLA=\"blubb\" BLUBB=\"${BLA:-x}\"", 1)]
    public void Env_self_references_follow_hadolint(string envs, int findings)
    {
        Assert.Equal(findings, Of("DKF-057", "FROM debian:12\n" + envs).Count);
        Assert.Empty(Of("DKF-057", "ARG BLA\nFROM debian:12\nENV BLA=${BLA} X=$BLA"));
    }

    [Fact]
    public void Repeated_instructions_are_reported_on_each_later_one()
    {
        var findings = Of("DKF-018", "FROM debian\nCMD bash\nRUN foo\nCMD another\nCMD third\nFROM debian AS two\nCMD one");
        Assert.Equal([4, 5], findings.Select(f => f.Location.Line ?? 0));
        Assert.Contains("line 2", findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stage_references_to_later_stages_are_reported_and_earlier_ones_are_not()
    {
        Assert.Single(Of("DKF-026", "FROM scratch\nCOPY --from=build foo .\nFROM node:22 AS build\nRUN baz"));
        Assert.Single(Of("DKF-026", "FROM scratch\nCOPY --from=1 foo .\nFROM node:22\nRUN baz"));
        Assert.Empty(Of("DKF-026", "FROM scratch AS build\nRUN foo\nFROM node:22\nCOPY --from=0 foo .\nCOPY --from=build foo .\nCOPY --from=haskell:9 bar ."));
    }

    [Theory]
    [InlineData("ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", true)]
    [InlineData("ARG openai_api_key", true)]
    [InlineData("ENV my_password=abcdefghijklmnopqrstuvwxyz", true)]
    [InlineData("ARG DB_PASSWORD=\"\"", true)]
    [InlineData("ENV VAULT_CLIENT_KEY=s.8Fz2Kq", true)]
    [InlineData("ENV foobar=barfoo", false)]
    [InlineData("ARG foobar", false)]
    [InlineData("ENV DOCKER_USERNAME=ci-bot", false)]
    [InlineData("ENV SSL_KEY_PATH=/etc/ssl/private/app.key", false)]
    [InlineData("ARG ALLOW_EMPTY_PASSWORD=yes", false)]
    public void Secret_names_include_hadolints_known_credentials(string line, bool flagged)
    {
        Assert.Equal(flagged, Of("DKF-002", "FROM debian:12\n" + line).Count > 0);
    }

    [Theory]
    [InlineData("COPY packaged-app.tar /usr/src/app\nRUN tar -xf /usr/src/app/packaged-app.tar", 1)]
    [InlineData("COPY packaged-app.tar /usr/src/app\nWORKDIR /usr/src/app\nRUN foo bar && echo something && tar -xf packaged-app.tar", 1)]
    [InlineData("COPY foo/bar/packaged-app.tar /foo.tar\nRUN tar -xf /foo.tar", 1)]
    [InlineData("COPY packaged-app.tar /usr/src/app\nRUN tar xf /usr/src/app/packaged-app.tar", 1)]
    [InlineData("COPY packaged-app.tar /usr/src/app\nFROM debian:11 AS newstage\nRUN tar -xf /usr/src/app/packaged-app.tar", 0)]
    [InlineData("COPY package.json /usr/src/app", 0)]
    [InlineData("COPY app.zip /tmp/\nRUN unzip /tmp/app.zip", 0)]
    public void Archives_copied_then_extracted_follow_hadolint(string body, int findings)
    {
        var found = Of("DKF-051", "FROM debian:12\n" + body);
        Assert.Equal(findings, found.Count);
        Assert.All(found, f => Assert.Equal(2, f.Location.Line));
    }

    [Theory]
    [InlineData("WORKDIR relative/dir", 1)]
    [InlineData("WORKDIR \"relative/dir\"", 1)]
    [InlineData("WORKDIR '/usr/local'", 0)]
    [InlineData("WORKDIR ${work}", 0)]
    [InlineData("WORKDIR C:/", 0)]
    [InlineData("COPY bla.sh \"blubb.sh\"", 1)]
    [InlineData("COPY bla.sh d:/mypath/blubb.sh", 0)]
    [InlineData("COPY src.sh \"$SRC_BASE_ENV\"", 0)]
    [InlineData("ONBUILD COPY foo bar", 0)]
    public void Relative_paths_follow_hadolint(string line, int findings)
    {
        Assert.Equal(findings, Lint("FROM debian:12\n" + line).Count(f => f.RuleId is "DKF-019" or "DKF-058"));
    }
}
