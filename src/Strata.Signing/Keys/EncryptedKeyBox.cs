namespace Strata.Signing.Keys;

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Strata.Core;

/// <summary>
/// The body of cosign's <c>ENCRYPTED SIGSTORE/COSIGN PRIVATE KEY</c> PEM block (go-securesystemslib "encrypted"):
/// JSON <c>{"kdf":{"name":"scrypt","params":{"N":…,"r":8,"p":1},"salt":…},"cipher":{"name":"nacl/secretbox",
/// "nonce":…},"ciphertext":…}</c>, byte strings in standard base64; the key is scrypt(passphrase, salt) of 32 bytes,
/// the ciphertext NaCl secretbox (XSalsa20-Poly1305: 16-byte tag, then the encrypted bytes).
/// </summary>
public static class EncryptedKeyBox
{
    /// <summary>scrypt N the issue asks for when generating (go-securesystemslib's "legacy" strength).</summary>
    public const int DefaultScryptN = 32768;

    private const int SaltSize = 32;
    private const int NonceSize = 24;
    private const int KeySize = 32;
    private const int TagSize = 16;

    // The parameter sets go-securesystemslib accepts when decrypting (legacy, standard, OWASP); anything else is
    // rejected so a hostile file cannot ask for unbounded scrypt memory.
    private static readonly int[] AcceptedN = [32768, 65536, 131072];

    /// <summary>Encrypts <paramref name="plaintext"/> under <paramref name="passphrase"/>; returns the JSON body.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> passphrase, int scryptN = DefaultScryptN)
    {
        if (Array.IndexOf(AcceptedN, scryptN) < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scryptN), scryptN, "scrypt N must be 32768, 65536 or 131072.");
        }

        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var key = SCrypt.Generate(passphrase.ToArray(), salt, scryptN, 8, 1, KeySize);
        try
        {
            var ciphertext = SecretBoxSeal(plaintext, nonce, key);

            // Field order and base64 form as Go's json.Marshal writes the struct.
            var json = new StringBuilder(256);
            json.Append("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":").Append(scryptN)
                .Append(",\"r\":8,\"p\":1},\"salt\":\"").Append(Convert.ToBase64String(salt))
                .Append("\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"").Append(Convert.ToBase64String(nonce))
                .Append("\"},\"ciphertext\":\"").Append(Convert.ToBase64String(ciphertext)).Append("\"}");
            return Encoding.UTF8.GetBytes(json.ToString());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Decrypts a JSON body. A wrong passphrase and a tampered ciphertext both fail authentication, and say so
    /// without quoting anything secret.
    /// </summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> body, ReadOnlySpan<byte> passphrase, string source)
    {
        string kdfName, cipherName;
        int n, r, p;
        byte[] salt, nonce, ciphertext;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            var kdf = Property(root, "kdf");
            var parameters = Property(kdf, "params");
            var cipher = Property(root, "cipher");
            kdfName = Property(kdf, "name").GetString() ?? string.Empty;
            n = Property(parameters, "N").GetInt32();
            r = Property(parameters, "r").GetInt32();
            p = Property(parameters, "p").GetInt32();
            salt = Property(kdf, "salt").GetBytesFromBase64();
            cipherName = Property(cipher, "name").GetString() ?? string.Empty;
            nonce = Property(cipher, "nonce").GetBytesFromBase64();
            ciphertext = Property(root, "ciphertext").GetBytesFromBase64();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw StrataException.BadInput($"private key {source}: the encrypted key body is malformed ({e.Message}).");
        }

        if (kdfName != "scrypt")
        {
            throw StrataException.BadInput($"private key {source}: unknown kdf name \"{kdfName}\" (expected \"scrypt\").");
        }

        if (cipherName != "nacl/secretbox")
        {
            throw StrataException.BadInput($"private key {source}: unknown cipher name \"{cipherName}\" (expected \"nacl/secretbox\").");
        }

        if (Array.IndexOf(AcceptedN, n) < 0 || r != 8 || p != 1)
        {
            throw StrataException.BadInput($"private key {source}: unsupported scrypt parameters N={n} r={r} p={p}.");
        }

        if (nonce.Length != NonceSize)
        {
            throw StrataException.BadInput($"private key {source}: incorrect secretbox nonce size {nonce.Length} (expected {NonceSize}).");
        }

        var key = SCrypt.Generate(passphrase.ToArray(), salt, n, r, p, KeySize);
        try
        {
            return SecretBoxOpen(ciphertext, nonce, key)
                ?? throw StrataException.BadInput($"private key {source}: decryption failed: wrong passphrase, or the key file is damaged.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    // Go's encoding/json matches struct fields case-insensitively; so does this.
    private static JsonElement Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new KeyNotFoundException($"\"{name}\" needs an object around it");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        throw new KeyNotFoundException($"field \"{name}\" is missing");
    }

    /// <summary>NaCl crypto_secretbox: XSalsa20 keystream, its first 32 bytes the Poly1305 key; output tag ‖ ciphertext.</summary>
    internal static byte[] SecretBoxSeal(ReadOnlySpan<byte> plaintext, byte[] nonce, byte[] key)
    {
        var stream = new XSalsa20Engine();
        stream.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        var macKey = new byte[32];
        stream.ProcessBytes(new byte[32], 0, 32, macKey, 0);
        var output = new byte[TagSize + plaintext.Length];
        stream.ProcessBytes(plaintext, output.AsSpan(TagSize));
        var mac = new Poly1305();
        mac.Init(new KeyParameter(macKey));
        mac.BlockUpdate(output.AsSpan(TagSize));
        mac.DoFinal(output.AsSpan(0, TagSize));
        CryptographicOperations.ZeroMemory(macKey);
        return output;
    }

    /// <summary>Opens a secretbox, or null when the tag does not authenticate.</summary>
    internal static byte[]? SecretBoxOpen(ReadOnlySpan<byte> box, byte[] nonce, byte[] key)
    {
        if (box.Length < TagSize)
        {
            return null;
        }

        var stream = new XSalsa20Engine();
        stream.Init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        var macKey = new byte[32];
        stream.ProcessBytes(new byte[32], 0, 32, macKey, 0);
        var mac = new Poly1305();
        mac.Init(new KeyParameter(macKey));
        mac.BlockUpdate(box[TagSize..]);
        Span<byte> tag = stackalloc byte[TagSize];
        mac.DoFinal(tag);
        CryptographicOperations.ZeroMemory(macKey);
        if (!CryptographicOperations.FixedTimeEquals(tag, box[..TagSize]))
        {
            return null;
        }

        var plaintext = new byte[box.Length - TagSize];
        stream.ProcessBytes(box[TagSize..], plaintext);
        return plaintext;
    }
}
