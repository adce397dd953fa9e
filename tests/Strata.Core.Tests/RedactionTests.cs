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
