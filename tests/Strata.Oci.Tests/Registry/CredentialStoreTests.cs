namespace Strata.Oci.Tests.Registry;

using System.Text;
using Strata.Core;
using Strata.Oci.Registry;
using Strata.Testing;

public sealed class CredentialStoreTests
{
    private static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Fact]
    public void Default_files_follow_containers_image_order()
    {
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = "/home/u",
            ["XDG_RUNTIME_DIR"] = "/run/user/1000",
        };
        Assert.Equal(
            ["/run/user/1000/containers/auth.json", "/home/u/.config/containers/auth.json", "/home/u/.docker/config.json", "/home/u/.dockercfg"],
            CredentialStore.DefaultFiles(name => environment.GetValueOrDefault(name)));

        environment["REGISTRY_AUTH_FILE"] = "/etc/strata/auth.json";
        environment["DOCKER_CONFIG"] = "/etc/docker-config";
        Assert.Equal(
            ["/etc/strata/auth.json", "/home/u/.config/containers/auth.json", "/etc/docker-config/config.json", "/home/u/.dockercfg"],
            CredentialStore.DefaultFiles(name => environment.GetValueOrDefault(name)));

        Assert.Empty(CredentialStore.DefaultFiles(_ => null));
    }

    [Fact]
    public async Task Docker_hub_legacy_keys_match_docker_io_and_the_most_specific_key_wins()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("config.json", $$$$"""
            {"auths":{
              "https://index.docker.io/v1/":{"auth":"{{{{Auth("hub", "p1")}}}}"},
              "docker.io/library":{"auth":"{{{{Auth("library", "p2")}}}}"},
              "quay.io":{"username":"q","password":"p3"}}}
            """);
        var store = new CredentialStore([file]);

        Assert.Equal("library", (await store.FindAsync("docker.io", "library/alpine", CancellationToken.None)).Credential?.Username);
        Assert.Equal("hub", (await store.FindAsync("docker.io", "someone/tool", CancellationToken.None)).Credential?.Username);
        Assert.Equal("hub", (await store.FindAsync("index.docker.io", "someone/tool", CancellationToken.None)).Credential?.Username);
        var quay = (await store.FindAsync("quay.io", "a/b", CancellationToken.None)).Credential;
        Assert.Equal(("q", "p3", file), (quay?.Username, quay?.Password, quay?.Source));
        var none = await store.FindAsync("ghcr.io", "x/y", CancellationToken.None);
        Assert.Null(none.Credential);
        Assert.Contains("no credentials for ghcr.io", none.Note, StringComparison.Ordinal);
        Assert.Contains(file, none.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Earlier_files_win_and_legacy_dockercfg_is_read()
    {
        using var temp = new TempDirectory();
        var first = temp.WriteFile("auth.json", $$$$"""{"auths":{"r.example":{"auth":"{{{{Auth("first", "a")}}}}"}}}""");
        var second = temp.WriteFile(".dockercfg", $$$$"""{"r.example":{"auth":"{{{{Auth("second", "b")}}}}"},"s.example":{"auth":"{{{{Auth("legacy", "c")}}}}"}}""");
        var store = new CredentialStore([temp.Combine("absent.json"), first, second]);
        Assert.Equal("first", (await store.FindAsync("r.example", "x", CancellationToken.None)).Credential?.Username);
        Assert.Equal("legacy", (await store.FindAsync("s.example", "x", CancellationToken.None)).Credential?.Username);
    }

    [Fact]
    public async Task Malformed_files_fail_naming_the_file_and_key_but_never_the_secret()
    {
        using var temp = new TempDirectory();
        const string Secret = "c2VjcmV0LXdpdGhvdXQtY29sb24";
        var noColon = temp.WriteFile("a.json", $$$$"""{"auths":{"r.example":{"auth":"{{{{Secret}}}}"}}}""");
        var error = await Assert.ThrowsAsync<StrataException>(() => new CredentialStore([noColon]).FindAsync("r.example", "x", CancellationToken.None));
        Assert.Contains(noColon, error.Message, StringComparison.Ordinal);
        Assert.Contains("auths.\"r.example\".auth", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-without-colon", error.Message, StringComparison.Ordinal);

        var notBase64 = temp.WriteFile("b.json", """{"auths":{"r.example":{"auth":"%%%hunter2%%%"}}}""");
        error = await Assert.ThrowsAsync<StrataException>(() => new CredentialStore([notBase64]).FindAsync("r.example", "x", CancellationToken.None));
        Assert.Contains("not base64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);

        var notJson = temp.WriteFile("c.json", "{\"auths\":\n{\"r.example\": {\"password\": \"hunter2\"");
        error = await Assert.ThrowsAsync<StrataException>(() => new CredentialStore([notJson]).FindAsync("r.example", "x", CancellationToken.None));
        Assert.Contains($"{notJson}: not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Creds_option_splits_at_the_first_colon_and_never_echoes_a_bad_value()
    {
        var credential = RegistryCredential.ParseUserPassword("alice:pa:ss");
        Assert.Equal(("alice", "pa:ss"), (credential.Username, credential.Password));
        Assert.Equal("user 'alice' (from --creds)", credential.ToString());

        var error = Assert.Throws<StrataException>(() => RegistryCredential.ParseUserPassword("hunter2-only"));
        Assert.Equal(ExitCode.Usage, error.ExitCode);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);

        var token = new RegistryCredential(string.Empty, string.Empty, "/x/config.json", "identity-token-value-123");
        Assert.DoesNotContain("identity-token-value-123", token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", (new RegistryOptions { Credentials = new RegistryCredential("u", "hunter2", "--creds") }).ToString(), StringComparison.Ordinal);
    }
}

public sealed class AuthChallengeTests
{
    [Fact]
    public void Parses_docker_hub_style_bearer_challenges()
    {
        var parameters = AuthChallenge.ParseParameters("""realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull,push" """);
        Assert.Equal("https://auth.docker.io/token", parameters["realm"]);
        Assert.Equal("registry.docker.io", parameters["service"]);
        Assert.Equal("repository:library/alpine:pull,push", parameters["scope"]);
    }

    [Fact]
    public void Handles_unquoted_values_escapes_spaces_and_junk()
    {
        var parameters = AuthChallenge.ParseParameters("""realm = "a \"quoted\" realm" , error=insufficient_scope,token68junk, Service=x""");
        Assert.Equal("a \"quoted\" realm", parameters["realm"]);
        Assert.Equal("insufficient_scope", parameters["error"]);
        Assert.Equal("x", parameters["service"]);
        Assert.False(parameters.ContainsKey("token68junk"));
        Assert.Empty(AuthChallenge.ParseParameters("\"unterminated"));
    }

    [Fact]
    public void Prefers_bearer_over_basic()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"r\"");
        response.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://t/token\",service=\"s\"");
        var challenge = AuthChallenge.From(response.Headers.WwwAuthenticate);
        Assert.True(challenge?.IsBearer);
        Assert.Equal("s", challenge?.Parameter("service"));
    }
}

public sealed class RegistryErrorBodyTests
{
    [Theory]
    [InlineData("""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}""", "MANIFEST_UNKNOWN: manifest unknown")]
    [InlineData("""{"errors":[{"code":"A","message":"a"},{"code":"B","message":"b"},{"code":"C","message":"c"},{"code":"D","message":"d"}]}""", "A: a; B: b; C: c (+1 more)")]
    [InlineData("""{"error":"invalid_grant","error_description":"expired"}""", "invalid_grant: expired")]
    [InlineData("<html>\n<body>Bad gateway</body></html>", "<html> <body>Bad gateway</body></html>")]
    [InlineData("", "")]
    public void Summarizes_on_one_short_line(string body, string expected)
    {
        Assert.Equal(expected, RegistryErrorBody.Summarize(Encoding.UTF8.GetBytes(body)));
    }

    // Found by fuzzing (fuzz/run.sh registry-error): a string that is not text threw InvalidOperationException.
    [Theory]
    [InlineData("{\"errors\":[{\"code\":\"\u00FF\"}]}", "{\"errors\":[{\"code\":\"\uFFFD\"}]}")]
    [InlineData("{\"error\":\"\\ud800\"}", "{\"error\":\"\\ud800\"}")]
    public void A_string_that_is_not_text_is_summarized_as_text(string latin1, string expected)
    {
        Assert.Equal(expected, RegistryErrorBody.Summarize(Encoding.Latin1.GetBytes(latin1)));
    }

    [Fact]
    public void Long_messages_are_cut()
    {
        var summary = RegistryErrorBody.Summarize(Encoding.UTF8.GetBytes($$$$"""{"errors":[{"code":"X","message":"{{{{new string('m', 5000)}}}}"}]}"""));
        Assert.True(summary.Length < 260, summary);
    }
}
