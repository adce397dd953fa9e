namespace Strata.Core.Tests;

using Strata.Core.Findings;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "AKIA…(20 chars)")]
    [InlineData("abc", "…(3 chars)")]
    [InlineData("12345678", "12…(8 chars)")]
    public void Secret_evidence_keeps_a_short_prefix_and_the_length(string secret, string shown)
    {
        var evidence = Evidence.Secret(secret);
        Assert.Equal(shown, evidence.Text);
        Assert.True(evidence.IsRedacted);
        if (secret.Length > 4)
        {
            Assert.DoesNotContain(secret, evidence.Text, StringComparison.Ordinal);
        }
    }
}

public sealed class QuoteTests
{
    [Theory]
    [InlineData("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")]
    [InlineData("NbXeQm1juCRsx0Y8oydIrxaRF4B9tzLtvmPXymKP")]
    [InlineData("NbXeQm1j/uCRsx0Y8o/ydIrxaRF4/B9tzLtvm+PXymKP")]
    [InlineData("xoxb-729369039601-2215771443626-WkTFW3MRksdoER0OM00HSvB8")]
    [InlineData("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")]
    [InlineData("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")]
    [InlineData("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJmYWtlLXVzZXItMTA2MCIsImlhdCI6MTcwMDAwMDAwMH0.WGpAVq61yg4gnE27i4IfIHcdwFGdRIGElIdwfHZcUqY")]
    [InlineData("123e4567-e89b-12d3-a456-426614174000")]
    [InlineData("1f3870be274f6c49b3e31a0c6728957f")]
    [InlineData("QWxhZGRpbjpPcGVuU2VzYW1lQWxhZGRpbjpPcGVu")]
    [InlineData("WkTFWxMRksdoERaOMbHSvBqZ")]
    public void A_credential_shaped_word_is_never_quoted_whole(string secret)
    {
        foreach (var text in new[] { secret, $"'{secret}' is not a Dockerfile instruction", $"docker://user:{secret}@host", $"TOKEN={secret}", $"/tmp/{secret}/x", secret + "(" })
        {
            var quoted = Redaction.Quote(text, 400);
            Assert.DoesNotContain(secret, quoted, StringComparison.Ordinal);

            // Nor its bulk: at most the four characters a redaction shows.
            Assert.DoesNotContain(secret[4..16], quoted, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Dockerfile2")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libc.so.6")]
    [InlineData("registry.example.com/team/app:v1.2.3")]
    [InlineData("--formt")]
    [InlineData("ImageConfigHealthcheckTest")]
    [InlineData("python3.11-slim-bookworm")]
    [InlineData("release20240101")]
    [InlineData("RUN")]
    [InlineData("alpine@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Words_and_names_are_quoted_as_they_are(string text)
    {
        Assert.Equal(text, Redaction.Quote(text, 200));
    }

    [Fact]
    public void A_quote_is_bounded_and_printable()
    {
        Assert.Equal(new string('x', 40) + "…", Redaction.Quote(new string('x', 100_000)));
        Assert.Equal("a?[31mb", Redaction.Quote("a\u001b[31mb"));
        Assert.Equal("line?next", Redaction.Quote("line\nnext"));
    }

    [Fact]
    public void The_directories_before_a_token_stay_and_the_token_goes()
    {
        Assert.Equal("oci:/tmp/NbXe…(40 chars)", Redaction.Quote("oci:/tmp/NbXeQm1juCRsx0Y8oydIrxaRF4B9tzLtvmPXymKP", 200));
        Assert.Equal("'ghp_…(40 chars)' is not", Redaction.Quote("'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' is not", 200));
    }
}
