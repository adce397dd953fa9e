namespace Strata.Secrets.Tests;

using Strata.Testing;

public sealed class BuildStepTextTests
{
    [Theory]
    [InlineData("|1 GITHUB_TOKEN=ghp_R7d2Kq9XwB4mZt6Lp0sVc8Nf3Hy5Ju1Ea2Gi /bin/sh -c make", "ghp_R7d2Kq9XwB4mZt6Lp0sVc8Nf3Hy5Ju1Ea2Gi")]
    [InlineData("|2 A=1 DEPLOY_PASSWORD=Zq81-wpLm3Tc /bin/sh -c ./deploy", "Zq81-wpLm3Tc")]
    [InlineData("/bin/sh -c curl -u admin:s3cr3t-Pa55w0rd https://example.com/", "s3cr3t-Pa55w0rd")]
    public void Build_steps_never_show_a_secret(string createdBy, string secret)
    {
        var shown = BuildStepText.Safe(createdBy, BuiltInSecrets.Scanner);
        Assert.NotNull(shown);
        Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Harmless_steps_are_shown_as_they_are()
    {
        Assert.Equal("/bin/sh -c apt-get update", BuildStepText.Safe("/bin/sh -c apt-get update", BuiltInSecrets.Scanner));
        Assert.Null(BuildStepText.Safe(null, BuiltInSecrets.Scanner));
    }
}
