namespace Strata.Oci.Tests.Registry;

using System.Text;
using Strata.Core;
using Strata.Oci.Registry;
using Strata.Testing;
using static Strata.Oci.Tests.Registry.RegistryPullTests;

[Collection(SharedRegistries.Name)]
public sealed class RegistryAuthTests(RegistryFixture fixture)
{
    private static RegistryCredential Good => new(RegistryFixture.User, RegistryFixture.Password, "--creds");

    private static RegistryCredential Wrong => new(RegistryFixture.User, RegistryFixture.Password + "-wrong", "--creds");

    private static ImageReference Single(string hostPort) => ImageReference.Parse($"{hostPort}/test/single:v1");

    /// <summary>No password, refresh token or issued token may reach a message in full.</summary>
    private void AssertNoSecrets(string message)
    {
        Assert.DoesNotContain(RegistryFixture.Password, message, StringComparison.Ordinal);
        Assert.DoesNotContain(RegistryFixture.RefreshToken, message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryFixture.User}:{RegistryFixture.Password}")), message, StringComparison.Ordinal);
        lock (fixture.TokenIssuer.Issued)
        {
            foreach (var token in fixture.TokenIssuer.Issued)
            {
                Assert.DoesNotContain(token, message, StringComparison.Ordinal);
            }
        }
    }

    private async Task AssertPullsAsync(RegistryOptions options, string hostPort)
    {
        await using var source = new RegistryImageSource(Single(hostPort), options);
        var manifest = await source.GetTopManifestAsync(CancellationToken.None);
        Assert.Equal(fixture.Layout.Amd64.ManifestBytes, manifest.Bytes);
        var config = fixture.Layout.Amd64.Config;
        Assert.Equal(config.Digest, Digest.Sha256Of(await ReadAllAsync(await source.OpenBlobAsync(config, CancellationToken.None))));
    }

    [Fact]
    public async Task Basic_auth_with_creds_pulls()
    {
        await AssertPullsAsync(Isolated() with { Credentials = Good }, fixture.Basic.HostPort);
    }

    [Fact]
    public async Task Basic_auth_without_credentials_is_a_clear_401()
    {
        using var client = new RegistryClient(Isolated());
        var error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Single(fixture.Basic.HostPort), CancellationToken.None));
        Assert.Equal(ExitCode.Error, error.ExitCode);
        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.Contains($"no credentials for {fixture.Basic.HostPort}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_auth_with_a_wrong_password_names_the_user_but_not_the_password()
    {
        using var client = new RegistryClient(Isolated() with { Credentials = Wrong });
        var error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Single(fixture.Basic.HostPort), CancellationToken.None));
        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.Contains($"credentials of user '{RegistryFixture.User}' (from --creds) were not accepted", error.Message, StringComparison.Ordinal);
        AssertNoSecrets(error.Message);
        Assert.DoesNotContain("-wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_come_from_registry_auth_file_and_from_docker_config()
    {
        using var home = new TempDirectory("strata-home");
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryFixture.User}:{RegistryFixture.Password}"));
        var authFile = home.WriteFile("auth.json", $$$$"""{"auths":{"{{{{fixture.Basic.HostPort}}}}":{"auth":"{{{{encoded}}}}"}}}""");
        var fromAuthFile = Isolated() with { EnvironmentVariable = name => name == "REGISTRY_AUTH_FILE" ? authFile : null };
        await AssertPullsAsync(fromAuthFile, fixture.Basic.HostPort);

        // docker's config.json with username/password fields, found through $HOME; a namespaced key wins.
        home.WriteFile(".docker/config.json", $$$$"""
            {"auths":{
              "http://{{{{fixture.Basic.HostPort}}}}/v1/":{"username":"{{{{RegistryFixture.User}}}}","password":"wrong"},
              "{{{{fixture.Basic.HostPort}}}}/test":{"username":"{{{{RegistryFixture.User}}}}","password":"{{{{RegistryFixture.Password}}}}"}}}
            """);
        var fromDockerConfig = Isolated() with { EnvironmentVariable = name => name == "HOME" ? home.Path : null };
        await AssertPullsAsync(fromDockerConfig, fixture.Basic.HostPort);

        // --authfile wins over everything and must exist.
        using var client = new RegistryClient(Isolated() with { AuthFilePath = home.Combine("missing.json") });
        var error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Single(fixture.Basic.HostPort), CancellationToken.None));
        Assert.Contains("--authfile", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing.json: no such file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credential_helpers_are_named_when_they_were_the_only_source()
    {
        using var home = new TempDirectory("strata-home");
        home.WriteFile(".docker/config.json", $$$$"""{"auths":{"{{{{fixture.Basic.HostPort}}}}":{}},"credsStore":"desktop"}""");
        using var client = new RegistryClient(Isolated() with { EnvironmentVariable = name => name == "HOME" ? home.Path : null });
        var error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Single(fixture.Basic.HostPort), CancellationToken.None));
        Assert.Contains("docker-credential-desktop (credsStore), which is not on PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_token_flow_pulls_and_caches_the_token_per_scope()
    {
        using var client = new RegistryClient(Isolated() with { Credentials = Good });
        var reference = Single(fixture.Token.HostPort);
        var manifest = await client.GetManifestAsync(reference, CancellationToken.None);
        Assert.Equal(fixture.Layout.Amd64.Manifest.Digest, manifest.Digest);
        foreach (var layer in fixture.Layout.Amd64.Layers)
        {
            await using var stream = await client.OpenVerifiedBlobAsync(reference, layer, CancellationToken.None);
            await stream.DrainAsync(CancellationToken.None);
        }

        await client.HeadManifestAsync(reference, CancellationToken.None);
        Assert.Equal(1, client.TokenRequests);

        // Another repository is another scope: one more token.
        await client.GetManifestAsync(ImageReference.Parse($"{fixture.Token.HostPort}/test/multi:v1"), CancellationToken.None);
        Assert.Equal(2, client.TokenRequests);
    }

    [Fact]
    public async Task Bearer_token_in_the_access_token_field_is_accepted()
    {
        fixture.TokenIssuer.UseAccessTokenField = true;
        try
        {
            await AssertPullsAsync(Isolated() with { Credentials = Good }, fixture.Token.HostPort);
        }
        finally
        {
            fixture.TokenIssuer.UseAccessTokenField = false;
        }
    }

    [Fact]
    public async Task Bearer_identity_token_from_docker_config_is_exchanged_at_the_token_endpoint()
    {
        using var home = new TempDirectory("strata-home");
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("<token>:"));
        home.WriteFile("docker-config/config.json", $$$$"""{"auths":{"{{{{fixture.Token.HostPort}}}}":{"auth":"{{{{encoded}}}}","identitytoken":"{{{{RegistryFixture.RefreshToken}}}}"}}}""");
        await AssertPullsAsync(Isolated() with { EnvironmentVariable = name => name == "DOCKER_CONFIG" ? home.Combine("docker-config") : null }, fixture.Token.HostPort);
    }

    [Fact]
    public async Task Bearer_without_credentials_and_with_a_wrong_password_fail_clearly_without_secrets()
    {
        using (var anonymous = new RegistryClient(Isolated()))
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => anonymous.GetManifestAsync(Single(fixture.Token.HostPort), CancellationToken.None));
            Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
            Assert.Contains("UNAUTHORIZED", error.Message, StringComparison.Ordinal);
            Assert.Contains($"no credentials for {fixture.Token.HostPort}", error.Message, StringComparison.Ordinal);
            AssertNoSecrets(error.Message);
        }

        using var wrong = new RegistryClient(Isolated() with { Credentials = Wrong });
        var refused = await Assert.ThrowsAsync<StrataException>(() => wrong.GetManifestAsync(Single(fixture.Token.HostPort), CancellationToken.None));
        Assert.Equal(ExitCode.Error, refused.ExitCode);
        Assert.Contains($"token endpoint {fixture.TokenIssuer.Realm} refused user '{RegistryFixture.User}' (from --creds): HTTP 401", refused.Message, StringComparison.Ordinal);
        Assert.Contains("incorrect username or password", refused.Message, StringComparison.Ordinal);
        AssertNoSecrets(refused.Message);
        Assert.DoesNotContain("-wrong", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirected_blobs_never_carry_the_registry_authorization_to_another_host()
    {
        var layer = fixture.Layout.Amd64.Layers[0];
        // The "storage" host: another loopback address, serving the blob through the registry without credentials.
        await using var storage = new RegistryProxy(fixture.Open.HostPort, host: "127.0.0.2");
        await using var front = new RegistryProxy(fixture.Basic.HostPort, exchange =>
        {
            if (exchange.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal) && exchange.Status == 200)
            {
                exchange.Status = 307;
                exchange.Headers.Clear();
                exchange.Headers["Location"] = new Uri(storage.Address, exchange.PathAndQuery).ToString();
                exchange.Body = [];
            }

            return Task.CompletedTask;
        });

        using var client = new RegistryClient(Isolated() with { Credentials = Good });
        await using (var stream = await client.OpenVerifiedBlobAsync(Single(front.HostPort), layer, CancellationToken.None))
        {
            await stream.DrainAsync(CancellationToken.None);
        }

        Assert.Contains(front.Requests, r => r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal) && r.HadAuthorization);
        var redirected = Assert.Single(storage.Requests);
        Assert.Equal("127.0.0.2", redirected.Host);
        Assert.False(redirected.HadAuthorization);
    }
}
