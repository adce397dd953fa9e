namespace Strata.Oci.Tests.Registry;

using Strata.Core;
using Strata.Oci.Destinations;
using Strata.Oci.Registry;
using Strata.Testing;
using static Strata.Oci.Tests.Destinations.DestinationLayoutTests;
using static Strata.Oci.Tests.Registry.RegistryPullTests;

/// <summary>
/// Credentials from docker credential helpers, as skopeo (containers/image) and docker find them: a helper script
/// of the test's own, <c>docker-credential-strata-test</c>, on a PATH the test gives, against the real htpasswd
/// and token registries.
/// </summary>
[Collection(SharedRegistries.Name)]
public sealed class CredentialHelperTests(RegistryFixture registries) : IDisposable
{
    private readonly TempDirectory home = new("strata-helper-home");

    public void Dispose() => home.Dispose();

    [Theory]
    [InlineData("credHelpers")]
    [InlineData("credsStore")]
    public async Task A_helper_named_in_config_json_authenticates_a_push_and_is_asked_for_the_registry(string field)
    {
        var host = registries.Basic.HostPort;
        WriteHelper($$$$"""printf '{"ServerURL":"%s","Username":"{{{{RegistryFixture.User}}}}","Secret":"{{{{RegistryFixture.Password}}}}"}' "$server" """);
        home.WriteFile(".docker/config.json", field == "credHelpers"
            ? $$$$"""{"auths":{"{{{{host}}}}":{}},"credHelpers":{"{{{{host}}}}":"strata-test"}}"""
            : $$$$"""{"auths":{"{{{{host}}}}":{}},"credsStore":"strata-test"}""");

        await using (var destination = ImageDestinations.Open($"docker://{host}/helper/{field.ToLowerInvariant()}:v1", Options()))
        {
            var pushed = await PutSmallImageAsync(destination, field, "v1");
            Assert.Equal(pushed.Digest, (await destination.GetManifestAsync("v1", CancellationToken.None))!.Digest);
        }

        Assert.Equal(host, (await File.ReadAllTextAsync(home.Combine("asked"))).Trim());
        var raw = await registries.SkopeoRawAsync($"helper/{field.ToLowerInvariant()}:v1");
        Assert.Contains("\"layers\"", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_helper_that_is_not_logged_in_lets_the_next_file_answer()
    {
        var host = registries.Basic.HostPort;
        WriteHelper("echo 'credentials not found in native keychain'; exit 1");
        home.WriteFile(".config/containers/auth.json", $$$$"""{"credHelpers":{"{{{{host}}}}":"strata-test"}}""");
        home.WriteFile(".docker/config.json", $$$$"""{"auths":{"{{{{host}}}}":{"username":"{{{{RegistryFixture.User}}}}","password":"{{{{RegistryFixture.Password}}}}"}}}""");

        using var client = new RegistryClient(Options());
        var manifest = await client.GetManifestAsync(ImageReference.Parse($"{host}/test/single:v1"), CancellationToken.None);
        Assert.Equal(registries.Layout.Amd64.Manifest.Digest, manifest.Digest);
    }

    [Fact]
    public async Task An_identity_token_from_a_helper_goes_through_the_refresh_token_grant()
    {
        var host = registries.Token.HostPort;
        WriteHelper($$$$"""printf '{"ServerURL":"%s","Username":"<token>","Secret":"{{{{RegistryFixture.RefreshToken}}}}"}' "$server" """);
        home.WriteFile(".docker/config.json", $$$$"""{"credHelpers":{"{{{{host}}}}":"strata-test"}}""");

        using var client = new RegistryClient(Options());
        var manifest = await client.GetManifestAsync(ImageReference.Parse($"{host}/test/single:v1"), CancellationToken.None);
        Assert.Equal(registries.Layout.Amd64.Manifest.Digest, manifest.Digest);
    }

    public static TheoryData<string, string> Failures => new()
    {
        { "echo 'the keychain is locked'; exit 3", "failed with exit code 3: the keychain is locked" },
        { "echo '{\"Username\":\"u\",\"Secret\":\"hunter2-secret\"'", "did not answer with valid JSON (output not shown)" },
        { "sleep 60", "did not answer within 1 s; it was stopped" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failing_helper_is_an_error_naming_it_and_never_its_output_secret(string body, string expected)
    {
        var host = registries.Basic.HostPort;
        WriteHelper(body);
        home.WriteFile(".docker/config.json", $$$$"""{"credHelpers":{"{{{{host}}}}":"strata-test"}}""");

        using var client = new RegistryClient(Options(TimeSpan.FromSeconds(1)));
        var error = await SpecialFiles.WithinHangLimit(() => Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(ImageReference.Parse($"{host}/test/single:v1"), CancellationToken.None)));
        Assert.Contains("docker-credential-strata-test get", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(home.Combine(".docker", "config.json"), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cred_helper_missing_from_path_is_an_error_as_in_containers_image()
    {
        var host = registries.Basic.HostPort;
        home.WriteFile(".docker/config.json", $$$$"""{"credHelpers":{"{{{{host}}}}":"absent"}}""");
        using var client = new RegistryClient(Options());
        var error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(ImageReference.Parse($"{host}/test/single:v1"), CancellationToken.None));
        Assert.Contains("credHelpers names docker-credential-absent", error.Message, StringComparison.Ordinal);
        Assert.Contains("not on PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helper_names_that_are_paths_are_refused()
    {
        home.WriteFile(".docker/config.json", """{"credsStore":"../../bin/sh"}""");
        var store = new CredentialStore([home.Combine(".docker", "config.json")], environmentVariable: Environment);
        var error = await Assert.ThrowsAsync<StrataException>(() => store.FindAsync("registry.example", "team/app", CancellationToken.None));
        Assert.Contains("not a credential helper name", error.Message, StringComparison.Ordinal);
    }

    private RegistryOptions Options(TimeSpan? timeout = null) => Isolated(timeout) with { EnvironmentVariable = Environment };

    private string? Environment(string name) => name switch
    {
        "HOME" => home.Path,
        "PATH" => home.Combine("bin"),
        _ => null,
    };

    /// <summary>docker-credential-strata-test: records the server it is asked for, then runs <paramref name="body"/> for <c>get</c>.</summary>
    private void WriteHelper(string body)
    {
        var script = home.WriteFile("bin/docker-credential-strata-test", $"""
            #!/bin/bash
            [ "$1" = get ] || exit 2
            server=$(cat)
            printf '%s' "$server" > '{home.Combine("asked")}'
            {body}
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
