namespace Strata.Oci.Tests;

using System.Text;
using Strata.Core;

public sealed class DigestTests
{
    [Theory]
    [InlineData("sha256:../../etc/passwd")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    public void Rejects_malformed_digests(string text)
    {
        Assert.False(Digest.TryParse(text, out _));
        var error = Assert.Throws<StrataException>(() => Digest.Parse(text, "manifest.json"));
        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifying_stream_accepts_exact_content_and_rejects_changed_or_truncated()
    {
        var content = Encoding.UTF8.GetBytes("hello layer");
        var digest = Digest.Sha256Of(content);

        await using (var ok = new VerifyingStream(new MemoryStream(content), digest, content.Length, "blob"))
        {
            await ok.DrainAsync(CancellationToken.None);
        }

        var changed = (byte[])content.Clone();
        changed[0] ^= 1;
        await using (var bad = new VerifyingStream(new MemoryStream(changed), digest, content.Length, "blob X"))
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => bad.DrainAsync(CancellationToken.None));
            Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
            Assert.Contains("blob X", error.Message, StringComparison.Ordinal);
        }

        await using (var truncated = new VerifyingStream(new MemoryStream(content[..5]), digest, content.Length, "blob"))
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => truncated.DrainAsync(CancellationToken.None));
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }

        await using (var oversized = new VerifyingStream(new MemoryStream([.. content, .. content]), digest, content.Length, "blob"))
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => oversized.DrainAsync(CancellationToken.None));
            Assert.Contains("more than", error.Message, StringComparison.Ordinal);
        }
    }
}
