namespace Strata.Secrets.Tests;

using Strata.Testing;

public sealed class BuildStepTextTests
{
    [Theory]
    [InlineData("|1 GITHUB_TOKEN=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 /bin/sh -c make", "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")]
    [InlineData("|2 A=1 DEPLOY_PASSWORD=Zq81-wpLm3Tc /bin/sh -c ./deploy", "Zq81-wpLm3Tc")]
    [InlineData("/bin/sh -c curl -u admin:s3cr3t-Pa55w0rd https://example.com/", "s3cr3t-Pa55w0rd")]
    public void Build_steps_never_show_a_secret(string createdBy, string secret)
    {
        var shown = BuildStepText.Safe(createdBy, BuiltInSecrets.Scanner);
        Assert.NotNull(shown);
        Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
    }

    /// <summary>
    /// Found by the redaction property (Strata.Cli.Tests): rules written for files match at the start of a line (an
    /// .npmrc's <c>_auth=</c>, an htpasswd line), which a build argument's value is not; an ini file's
    /// <c>password = value</c> kept its value; a private key lost only its BEGIN line. Each was shown in full.
    /// </summary>
    [Theory]
    [InlineData("SEC-NPMRC-AUTH", "|1 VALUE_0={0} /bin/sh -c ./build")]
    [InlineData("SEC-HTPASSWD-APR1", "/bin/sh -c #(nop) ENV VALUE_1={0}")]
    [InlineData("SEC-PYPIRC-PASSWORD", "/bin/sh -c #(nop) ENV VALUE_2={0}")]
    [InlineData("SEC-PRIVATE-KEY-RSA", "/bin/sh -c #(nop) ENV VALUE_3={0}")]
    public void A_rule_example_in_a_build_step_is_never_shown(string ruleId, string step)
    {
        var rule = SecretScanner.BuiltInRules.Single(r => r.Id == ruleId);
        foreach (var example in rule.MatchExamples)
        {
            var secret = new System.Text.RegularExpressions.Regex(rule.Pattern).Match(example).Groups["secret"].Value;
            if (secret.Length == 0)
            {
                // An example found decoded (a base64-wrapped key): its encoded value must not be shown either.
                secret = System.Text.RegularExpressions.Regex.Match(example, "[A-Za-z0-9+/]{64,}={0,2}").Value;
            }

            Assert.NotEmpty(secret);
            var shown = BuildStepText.Safe(string.Format(System.Globalization.CultureInfo.InvariantCulture, step, example), BuiltInSecrets.Scanner);
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Harmless_steps_are_shown_as_they_are()
    {
        Assert.Equal("/bin/sh -c apt-get update", BuildStepText.Safe("/bin/sh -c apt-get update", BuiltInSecrets.Scanner));
        Assert.Null(BuildStepText.Safe(null, BuiltInSecrets.Scanner));
    }
}
