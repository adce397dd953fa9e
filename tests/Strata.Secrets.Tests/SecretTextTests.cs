namespace Strata.Secrets.Tests;

public sealed class SecretTextTests
{
    [Fact]
    public void Secret_names_and_values()
    {
        foreach (var name in new[] { "DB_PASSWORD", "GITHUB_TOKEN", "apiKey", "AWS_SECRET_ACCESS_KEY", "PRIVATE_KEY", "STRIPE_KEY", "NPM_AUTH_TOKEN", "client-secret" })
        {
            Assert.True(SecretText.IsSecretName(name), name);
        }

        foreach (var name in new[] { "PWD", "POSTGRES_PASSWORD_FILE", "GPG_KEY", "GPG_KEYS", "TOKEN_URL", "KEY", "PASSTHROUGH", "SSH_AUTH_SOCK", "AWS_ACCESS_KEY_ID", "NODE_VERSION" })
        {
            Assert.False(SecretText.IsSecretName(name), name);
        }

        Assert.Equal("x AKIA…(20 chars) y", SecretText.Mask("x AKIAIOSFODNN7EXAMPLE y"));
        Assert.Equal("https://me:p…(4 chars)@host/", SecretText.Mask("https://me:pa55@host/"));
        Assert.Equal("https://host/path:8080@x", SecretText.Mask("https://host/path:8080@x"));

        // The assignments of code: the value is masked, not the type or the operator.
        foreach (var (text, kept) in new[] { ("var apiToken string = \"Hq7TzWm4Lp9X\"", "var apiToken string = "), ("DEPLOY_TOKEN ?= Hq7TzWm4Lp9X", "DEPLOY_TOKEN ?= "), ("db_password := `Hq7TzWm4Lp9X`", "db_password := ") })
        {
            var masked = SecretText.Mask(text);
            Assert.StartsWith(kept, masked, StringComparison.Ordinal);
            Assert.DoesNotContain("Hq7TzWm4Lp9X", masked, StringComparison.Ordinal);
            Assert.Contains("chars)", masked, StringComparison.Ordinal);
        }
    }
}
