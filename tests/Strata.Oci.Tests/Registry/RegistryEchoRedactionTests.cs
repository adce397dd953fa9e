namespace Strata.Oci.Tests.Registry;

using System.Text;
using Strata.Core;
using Strata.Core.Targets;
using Strata.Oci.Registry;

/// <summary>What a registry sends back reaches messages only redacted; credentials in a reference are refused unrepeated.</summary>
public sealed class RegistryEchoRedactionTests
{
    private const string Password = "hunter2-Secret-9876";

    private static readonly string Basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + Password));

    [Theory]
    [InlineData("rejected Authorization: Basic {basic}")]
    [InlineData("rejected Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl")]
    [InlineData("upstream https://alice:{password}@mirror.example/v2/ failed")]
    [InlineData("token response: {\"access_token\":\"{password}\"}")]
    [InlineData("signed URL https://s3.example/blob?X-Amz-Signature=abcdef0123456789&X-Amz-Credential=AKIA0123")]
    [InlineData("password={password}&user=alice")]
    public void Credential_shaped_values_in_error_bodies_are_redacted(string template)
    {
        var text = template.Replace("{basic}", Basic, StringComparison.Ordinal).Replace("{password}", Password, StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"DENIED","message":{{System.Text.Json.JsonSerializer.Serialize(text)}}}]}""");
        var summary = RegistryErrorBody.Summarize(body);
        Assert.StartsWith("DENIED: ", summary, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, summary, StringComparison.Ordinal);
        Assert.DoesNotContain(Basic[..12], summary, StringComparison.Ordinal);
        Assert.DoesNotContain("c2lnbmF0dXJl", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdef0123456789", summary, StringComparison.Ordinal);
        Assert.Contains("chars)", summary, StringComparison.Ordinal);

        // What is redacted once stays as it is: no "abcd…(4 chars)…(52 chars)".
        Assert.Equal(summary, RegistryErrorBody.Echo(summary));

        // Not JSON at all: the same.
        Assert.DoesNotContain(Password, RegistryErrorBody.Summarize(Encoding.UTF8.GetBytes(text)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer realm=\"https://auth.example/token\",service=\"registry\"")]
    [InlineData("basic authentication required")]
    [InlineData("token: expired")]
    [InlineData("MANIFEST_UNKNOWN: manifest unknown")]
    public void Ordinary_messages_are_left_alone(string text) =>
        Assert.Equal(text, RegistryErrorBody.Echo(text));

    [Fact]
    public void A_known_secret_is_redacted_before_the_message_is_cut_short()
    {
        var text = new string('x', 190) + " " + Password;
        var summary = RegistryErrorBody.Summarize(Encoding.UTF8.GetBytes(text), t => t.Replace(Password, "[redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice:" + Password + "@registry.example/team/app:1.0")]
    [InlineData("docker://alice:" + Password + "@registry.example/team/app")]
    [InlineData("alice:" + Password + "@localhost:5000/app@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Credentials_in_a_reference_are_refused_without_repeating_them(string text)
    {
        var reference = text.StartsWith("docker://", StringComparison.Ordinal) ? text["docker://".Length..] : text;
        Assert.False(ImageReference.TryParse(reference, out _, out var why));
        Assert.Contains("credentials", why, StringComparison.Ordinal);

        foreach (var error in new[]
        {
            Assert.Throws<StrataException>(() => ImageReference.Parse(reference)),
            Assert.Throws<StrataException>(() => RegistryImageSource.Open(text, new RegistryOptions())),
        })
        {
            Assert.Equal(ExitCode.Usage, error.ExitCode);
            Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
            Assert.Contains("alice:", error.Message, StringComparison.Ordinal);
            Assert.Contains("--creds", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_digest_reference_is_not_mistaken_for_credentials()
    {
        const string Digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        Assert.False(ReferenceCredentials.TryFind("alpine@" + Digest, out _));
        Assert.False(ReferenceCredentials.TryFind("registry.example/team/app@" + Digest, out _));
        Assert.True(ImageReference.TryParse("alpine@" + Digest, out _, out _));
    }
}
