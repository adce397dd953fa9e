namespace Strata.Encryption.Tests;

using System.Security.Cryptography;
using System.Text;
using Strata.Core;
using Strata.Encryption.Cipher;
using Strata.Oci;
using Strata.Testing;

/// <summary>The layer cipher against OpenSSL's AES-256-CTR and HMAC-SHA256 over the same bytes.</summary>
public sealed class CipherTests
{
    public static TheoryData<int, string> Cases() => new()
    {
        { 0, "000102030405060708090a0b0c0d0e0f" },
        { 1, "000102030405060708090a0b0c0d0e0f" },
        { 15, "ffffffffffffffffffffffffffffffff" },  // the counter wraps on the second block
        { 4097, "00000000000000000000fffffffffffe" }, // the carry runs past the low 64 bits
        { 200_003, "f0e1d2c3b4a5968778695a4b3c2d1e0f" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Encrypts_like_openssl_aes_256_ctr_and_macs_the_ciphertext(int length, string nonceHex)
    {
        using var dir = new TempDirectory();
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = Convert.FromHexString(nonceHex);
        var plaintext = RandomNumberGenerator.GetBytes(length);
        File.WriteAllBytes(dir.Combine("plain"), plaintext);

        await ExternalTool.RunCheckedAsync("openssl", "enc", "-aes-256-ctr", "-K", Convert.ToHexString(key), "-iv", nonceHex, "-in", dir.Combine("plain"), "-out", dir.Combine("cipher"));
        var expected = File.ReadAllBytes(dir.Combine("cipher"));
        var mac = (await ExternalTool.RunCheckedAsync("openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:" + Convert.ToHexString(key), "-r", dir.Combine("cipher"))).Split(' ')[0];

        // Odd read sizes so the key stream continues across calls mid-block.
        var data = plaintext.ToArray();
        using (var cipher = AesCtrHmac.ForEncryption(key, nonce))
        {
            for (int at = 0, step = 7; at < data.Length; at += step, step = step * 3 % 5003 + 1)
            {
                cipher.Transform(data.AsSpan(at, Math.Min(step, data.Length - at)));
            }

            Assert.Equal(mac, Convert.ToHexString(cipher.FinishHmac()).ToLowerInvariant());
        }

        Assert.Equal(expected, data);
    }

    [Fact]
    public void Decrypting_stream_gives_the_plaintext_and_ends_only_when_the_hmac_matches()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(16);
        var plaintext = RandomNumberGenerator.GetBytes(100_000);
        using var encrypting = CipherStream.Encrypt(new MemoryStream(plaintext), key, nonce);
        var ciphertext = new MemoryStream();
        encrypting.CopyTo(ciphertext);
        var hmac = encrypting.Hmac;

        using (var decrypting = CipherStream.Decrypt(new MemoryStream(ciphertext.ToArray()), key, nonce, hmac, "layer sha256:x"))
        {
            var back = new MemoryStream();
            decrypting.CopyTo(back);
            Assert.Equal(plaintext, back.ToArray());
        }

        var tampered = ciphertext.ToArray();
        tampered[5000] ^= 1;
        using var bad = CipherStream.Decrypt(new MemoryStream(tampered), key, nonce, hmac, "layer sha256:x");
        var error = Assert.Throws<StrataException>(() => bad.CopyTo(Stream.Null));
        Assert.Contains("layer sha256:x: HMAC check failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layer_options_are_written_as_ocicrypt_writes_them_and_read_back()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var nonce = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();
        var digest = Digest.Parse("sha256:" + new string('a', 64), "test");
        var privateOptions = new PrivateLayerOptions(key, digest, new Dictionary<string, byte[]> { ["nonce"] = nonce });
        var json = Encoding.UTF8.GetString(privateOptions.ToJson());
        Assert.Equal($"{{\"symkey\":\"{Convert.ToBase64String(key)}\",\"digest\":\"sha256:{new string('a', 64)}\",\"cipheroptions\":{{\"nonce\":\"{Convert.ToBase64String(nonce)}\"}}}}", json);
        var back = PrivateLayerOptions.Parse(Encoding.UTF8.GetBytes(json), "layer");
        Assert.Equal(key, back.SymmetricKey);
        Assert.Equal(nonce, back.Nonce);
        Assert.Equal(digest, back.Digest);

        var publicOptions = new PublicLayerOptions(AesCtrHmac.CipherName, key, new Dictionary<string, byte[]>());
        Assert.Equal($"{{\"cipher\":\"AES_256_CTR_HMAC_SHA256\",\"hmac\":\"{Convert.ToBase64String(key)}\",\"cipheroptions\":{{}}}}", Encoding.UTF8.GetString(publicOptions.ToJson()));
    }

    [Theory]
    [InlineData("{\"digest\":\"sha256:" + "00" + "\"}", "\"symkey\" is missing")]
    [InlineData("{\"symkey\":\"AAAA\",\"digest\":\"md5:zz\"}", "\"digest\" is not a valid digest")]
    [InlineData("{\"symkey\":\"!!\",\"digest\":\"sha256:00\"}", "\"symkey\" is not base64")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("{\"symkey\":\"AAAA\"", "not valid JSON")]
    public void Malformed_private_options_are_refused_with_the_field_named(string json, string message)
    {
        var error = Assert.Throws<StrataException>(() => PrivateLayerOptions.Parse(Encoding.UTF8.GetBytes(json), "layer sha256:ab"));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("layer sha256:ab: private layer options", error.Message, StringComparison.Ordinal);
    }
}
