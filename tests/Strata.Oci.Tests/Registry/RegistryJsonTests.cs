namespace Strata.Oci.Tests.Registry;

using System.Text;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Oci.Registry;
using Strata.Testing;

/// <summary>
/// The JSON the registry client reads besides manifests (token answers, credentials files, a manifest's own media
/// type): a string that is not UTF-8 text threw InvalidOperationException when read; it is bad input naming the source.
/// </summary>
public sealed class RegistryJsonTests
{
    [Theory]
    [InlineData("{\"token\":\"\u00C3(\"}")]
    [InlineData("{\"token\":\"\\ud800\"}")]
    [InlineData("{\"\u00FF\":1,\"token\":\"t\"}")]
    public void A_token_answer_whose_string_is_not_text_is_bad_input_naming_the_endpoint(string latin1)
    {
        var error = Assert.Throws<StrataException>(() => RegistryAuthenticator.ParseTokenResponse(Encoding.Latin1.GetBytes(latin1), "https://auth.example/token", "registry.example"));
        Assert.Equal("registry.example: token response from https://auth.example/token: line 1: " + JsonStrings.Undecodable + ".", error.Message);
    }

    [Fact]
    public void A_token_answer_is_read()
    {
        var (token, lifetime) = RegistryAuthenticator.ParseTokenResponse("""{"access_token":"abc","expires_in":600}"""u8.ToArray(), "e", "c");
        Assert.Equal("abc", token);
        Assert.Equal(TimeSpan.FromSeconds(600), lifetime);
    }

    [Fact]
    public async Task A_credentials_file_whose_string_is_not_text_is_bad_input_naming_the_file_and_no_secret()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("auth.json");
        File.WriteAllBytes(file, Encoding.Latin1.GetBytes("{\"auths\":{\"docker.io\":{\"username\":\"u\",\n\"password\":\"s3cr\u00E9t-value\"}}}"));
        var error = await Assert.ThrowsAsync<StrataException>(() => new CredentialStore([file], explicitFile: true).FindAsync("docker.io", "library/alpine", CancellationToken.None));
        Assert.Equal($"{file}: line 2: {JsonStrings.Undecodable}.", error.Message);
    }

    [Theory]
    [InlineData("{\"mediaType\":\"\u00C3(\"}")]
    [InlineData("{\"mediaType\":\"\\udfff\"}")]
    public void A_manifest_media_type_that_is_not_text_is_bad_input_naming_the_manifest(string latin1)
    {
        var error = Assert.Throws<StrataException>(() => RegistryClient.BodyMediaType(Encoding.Latin1.GetBytes(latin1), "registry.example/app:1"));
        Assert.Equal($"registry.example/app:1: the manifest: line 1: {JsonStrings.Undecodable}.", error.Message);
    }

    [Fact]
    public void A_manifest_media_type_is_read_from_the_body()
    {
        Assert.Equal("application/vnd.oci.image.index.v1+json", RegistryClient.BodyMediaType("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json"}"""u8.ToArray(), "x"));
        Assert.Null(RegistryClient.BodyMediaType("""{"schemaVersion":2}"""u8.ToArray(), "x"));
    }
}
