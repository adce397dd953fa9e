namespace Strata.Encryption.KeyWrap;

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Strata.Core;

/// <summary>One recipient of a JWE as its headers describe it (for <c>image inspect</c>).</summary>
public sealed record JweRecipient(string Algorithm, string? KeyId, string? Curve);

/// <summary>
/// JSON Web Encryption (RFC 7516) as ocicrypt's JWE key wrapper uses it, through go-jose: content <c>A256GCM</c> with
/// the ASCII <c>protected</c> value as additional data, RSA keys by <c>RSA-OAEP</c> (SHA-1), EC keys by
/// <c>ECDH-ES+A256KW</c>. One recipient is written in the flattened JSON form (the recipient's header merged into the
/// protected header), several in the general form with go-jose's extra top-level <c>encrypted_key</c> (the first
/// recipient's), which readers ignore. Decryption also takes <c>RSA-OAEP-256</c>, <c>ECDH-ES</c> and
/// <c>ECDH-ES+A128KW/A192KW</c> keys and any RFC 7518 content encryption (AES-GCM, AES-CBC-HMAC-SHA2).
/// </summary>
public static class Jwe
{
    /// <summary>The largest JWE accepted: ocicrypt's secrets take a few hundred bytes per recipient.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>The most recipients one message may list.</summary>
    public const int MaxRecipients = 4096;

    /// <summary>Encrypts <paramref name="plaintext"/> for every key in <paramref name="recipients"/> (RSA or EC public keys).</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<AsymmetricAlgorithm> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("a JWE needs at least one recipient", nameof(recipients));
        }

        var cek = RandomNumberGenerator.GetBytes(32);
        try
        {
            var wrapped = recipients.Select(r => WrapKey(cek, r)).ToList();
            var single = wrapped.Count == 1;
            var protectedHeader = HeaderJson(single
                ? [.. wrapped[0].Header, new("enc", "A256GCM")]
                : [new("enc", "A256GCM")]);
            var protectedText = JoseBase64.Encode(protectedHeader);

            var iv = RandomNumberGenerator.GetBytes(12);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[16];
            using (var gcm = new AesGcm(cek, 16))
            {
                gcm.Encrypt(iv, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(protectedText));
            }

            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("protected", protectedText);
                if (!single)
                {
                    writer.WriteStartArray("recipients");
                    foreach (var recipient in wrapped)
                    {
                        writer.WriteStartObject();
                        writer.WritePropertyName("header");
                        writer.WriteRawValue(HeaderJson(recipient.Header), skipInputValidation: true);
                        writer.WriteString("encrypted_key", JoseBase64.Encode(recipient.EncryptedKey));
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }

                writer.WriteString("encrypted_key", JoseBase64.Encode(wrapped[0].EncryptedKey));
                writer.WriteString("iv", JoseBase64.Encode(iv));
                writer.WriteString("ciphertext", JoseBase64.Encode(ciphertext));
                writer.WriteString("tag", JoseBase64.Encode(tag));
                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cek);
        }
    }

    /// <summary>The recipients a JWE names, without decrypting it.</summary>
    public static IReadOnlyList<JweRecipient> Recipients(ReadOnlySpan<byte> jwe, string context)
    {
        var message = Parse(jwe, context);
        return [.. message.Recipients.Select(r => new JweRecipient(
            r.Header.TryGetValue("alg", out var alg) ? alg.GetString() ?? "?" : "?",
            r.Header.TryGetValue("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null,
            r.Header.TryGetValue("epk", out var epk) && epk.ValueKind == JsonValueKind.Object && epk.TryGetProperty("crv", out var crv) ? crv.GetString() : null))];
    }

    /// <summary>
    /// Decrypts with the first of <paramref name="keys"/> (private RSA or EC keys) that opens a recipient; null when
    /// none does (<paramref name="failures"/> says why for each try). A recipient that opens but whose content fails
    /// authentication is an error: the message was changed.
    /// </summary>
    public static byte[]? Decrypt(ReadOnlySpan<byte> jwe, IReadOnlyList<AsymmetricAlgorithm> keys, string context, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(failures);
        var message = Parse(jwe, context);
        foreach (var key in keys)
        {
            foreach (var recipient in message.Recipients)
            {
                var alg = recipient.Header.TryGetValue("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : string.Empty;
                var enc = recipient.Header.TryGetValue("enc", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : string.Empty;
                byte[]? cek;
                try
                {
                    cek = UnwrapKey(recipient, alg, enc, key, context);
                }
                catch (CryptographicException)
                {
                    cek = null;
                }

                if (cek is null)
                {
                    failures.Add($"{context}: a {KeyName(key)} key does not open the recipient with \"alg\" {alg}");
                    continue;
                }

                try
                {
                    return DecryptContent(message, enc, cek, context);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(cek);
                }
            }
        }

        return null;
    }

    private static string KeyName(AsymmetricAlgorithm key) => key is RSA ? $"RSA-{key.KeySize}" : $"EC P-{key.KeySize}";

    private readonly record struct WrappedKey(List<KeyValuePair<string, object>> Header, byte[] EncryptedKey);

    private sealed record Recipient(Dictionary<string, JsonElement> Header, byte[] EncryptedKey);

    private sealed record Message(string Protected, byte[]? Aad, byte[] Iv, byte[] Ciphertext, byte[] Tag, List<Recipient> Recipients);

    private static WrappedKey WrapKey(byte[] cek, AsymmetricAlgorithm key)
    {
        switch (key)
        {
            case RSA rsa:
                return new([new("alg", "RSA-OAEP")], rsa.Encrypt(cek, RSAEncryptionPadding.OaepSHA1));
            case ECDiffieHellman recipient:
                var parameters = recipient.ExportParameters(false);
                using (var ephemeral = ECDiffieHellman.Create(parameters.Curve))
                {
                    var kek = AgreeKey(ephemeral, recipient.PublicKey, "ECDH-ES+A256KW", 32, [], []);
                    try
                    {
                        var wrap = new AesWrapEngine();
                        wrap.Init(true, new KeyParameter(kek));
                        var encryptedKey = wrap.Wrap(cek, 0, cek.Length);
                        var epk = ephemeral.ExportParameters(false);
                        return new([new("alg", "ECDH-ES+A256KW"), new("epk", new EphemeralKey(CurveName(recipient), epk.Q.X!, epk.Q.Y!))], encryptedKey);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(kek);
                    }
                }

            default:
                throw new ArgumentException($"JWE recipients are RSA or EC keys, not {key.GetType().Name}", nameof(key));
        }
    }

    private sealed record EphemeralKey(string Curve, byte[] X, byte[] Y);

    /// <summary>A JOSE header as go-jose writes it: keys sorted (it is a Go map), the epk as a JWK.</summary>
    private static byte[] HeaderJson(List<KeyValuePair<string, object>> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                switch (value)
                {
                    case string text:
                        writer.WriteString(name, text);
                        break;
                    case EphemeralKey epk:
                        writer.WriteStartObject(name);
                        writer.WriteString("kty", "EC");
                        writer.WriteString("crv", epk.Curve);
                        writer.WriteString("x", JoseBase64.Encode(epk.X));
                        writer.WriteString("y", JoseBase64.Encode(epk.Y));
                        writer.WriteEndObject();
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string CurveName(AsymmetricAlgorithm key) => key.KeySize switch
    {
        256 => "P-256",
        384 => "P-384",
        521 => "P-521",
        var size => throw new ArgumentException($"EC keys of {size} bits are not supported by JWE (P-256, P-384, P-521)", nameof(key)),
    };

    /// <summary>ECDH and the Concat KDF of RFC 7518 section 4.6.2 (SHA-256; AlgorithmID, PartyUInfo, PartyVInfo, SuppPubInfo).</summary>
    private static byte[] AgreeKey(ECDiffieHellman own, ECDiffieHellmanPublicKey other, string algorithmId, int keyBytes, byte[] apu, byte[] apv)
    {
        var z = own.DeriveRawSecretAgreement(other);
        try
        {
            var id = Encoding.ASCII.GetBytes(algorithmId);
            var otherInfo = new byte[4 + id.Length + 4 + apu.Length + 4 + apv.Length + 4];
            var at = 0;
            foreach (var part in (byte[][])[id, apu, apv])
            {
                BinaryPrimitives.WriteInt32BigEndian(otherInfo.AsSpan(at), part.Length);
                part.CopyTo(otherInfo, at + 4);
                at += 4 + part.Length;
            }

            BinaryPrimitives.WriteInt32BigEndian(otherInfo.AsSpan(at), keyBytes * 8);

            var output = new byte[keyBytes];
            var round = new byte[4 + z.Length + otherInfo.Length];
            z.CopyTo(round, 4);
            otherInfo.CopyTo(round, 4 + z.Length);
            for (int counter = 1, done = 0; done < keyBytes; counter++)
            {
                BinaryPrimitives.WriteInt32BigEndian(round, counter);
                var digest = SHA256.HashData(round);
                var n = Math.Min(digest.Length, keyBytes - done);
                digest.AsSpan(0, n).CopyTo(output.AsSpan(done));
                done += n;
            }

            CryptographicOperations.ZeroMemory(round);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(z);
        }
    }

    private static byte[]? UnwrapKey(Recipient recipient, string alg, string enc, AsymmetricAlgorithm key, string context)
    {
        switch (alg)
        {
            case "RSA-OAEP" or "RSA-OAEP-256" when key is RSA rsa:
                return rsa.Decrypt(recipient.EncryptedKey, alg == "RSA-OAEP" ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256);
            case "ECDH-ES" or "ECDH-ES+A128KW" or "ECDH-ES+A192KW" or "ECDH-ES+A256KW" when key is ECDiffieHellman ec:
                if (!recipient.Header.TryGetValue("epk", out var epkJson) || epkJson.ValueKind != JsonValueKind.Object)
                {
                    throw StrataException.BadInput($"{context}: an {alg} recipient has no \"epk\"");
                }

                using (var epk = EphemeralPublicKey(epkJson, context))
                {
                    if (epk.KeySize != ec.KeySize)
                    {
                        return null;
                    }

                    var apu = OptionalBytes(recipient.Header, "apu", context);
                    var apv = OptionalBytes(recipient.Header, "apv", context);
                    if (alg == "ECDH-ES")
                    {
                        return AgreeKey(ec, epk.PublicKey, enc, ContentKeyBytes(enc, context), apu, apv);
                    }

                    var kekBytes = alg switch { "ECDH-ES+A128KW" => 16, "ECDH-ES+A192KW" => 24, _ => 32 };
                    var kek = AgreeKey(ec, epk.PublicKey, alg, kekBytes, apu, apv);
                    try
                    {
                        var unwrap = new AesWrapEngine();
                        unwrap.Init(false, new KeyParameter(kek));
                        return unwrap.Unwrap(recipient.EncryptedKey, 0, recipient.EncryptedKey.Length);
                    }
                    catch (InvalidCipherTextException)
                    {
                        return null;
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(kek);
                    }
                }

            case "RSA-OAEP" or "RSA-OAEP-256" or "ECDH-ES" or "ECDH-ES+A128KW" or "ECDH-ES+A192KW" or "ECDH-ES+A256KW":
                return null;
            default:
                throw StrataException.BadInput($"{context}: JWE key algorithm \"{alg}\" is not supported (RSA-OAEP, RSA-OAEP-256, ECDH-ES, ECDH-ES+A128KW/A192KW/A256KW)");
        }
    }

    private static byte[] OptionalBytes(Dictionary<string, JsonElement> header, string name, string context) =>
        header.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String
            ? JoseBase64.Decode(value.GetString()!, $"{context}: header \"{name}\"")
            : [];

    private static ECDiffieHellman EphemeralPublicKey(JsonElement epk, string context)
    {
        string Field(string name) => epk.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw StrataException.BadInput($"{context}: \"epk\" has no \"{name}\"");
        var curve = Field("crv") switch
        {
            "P-256" => ECCurve.NamedCurves.nistP256,
            "P-384" => ECCurve.NamedCurves.nistP384,
            "P-521" => ECCurve.NamedCurves.nistP521,
            var other => throw StrataException.BadInput($"{context}: \"epk\" curve \"{other}\" is not supported"),
        };
        var key = ECDiffieHellman.Create();
        try
        {
            // The import checks that the point lies on the curve (an invalid-curve point would leak the private key).
            key.ImportParameters(new ECParameters
            {
                Curve = curve,
                Q = new ECPoint { X = JoseBase64.Decode(Field("x"), $"{context}: epk.x"), Y = JoseBase64.Decode(Field("y"), $"{context}: epk.y") },
            });
            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw StrataException.BadInput($"{context}: \"epk\" is not a valid point on {Field("crv")}", e);
        }
    }

    private static int ContentKeyBytes(string enc, string context) => enc switch
    {
        "A128GCM" => 16,
        "A192GCM" => 24,
        "A256GCM" => 32,
        "A128CBC-HS256" => 32,
        "A192CBC-HS384" => 48,
        "A256CBC-HS512" => 64,
        _ => throw StrataException.BadInput($"{context}: JWE content encryption \"{enc}\" is not supported"),
    };

    private static byte[] DecryptContent(Message message, string enc, byte[] cek, string context)
    {
        if (cek.Length != ContentKeyBytes(enc, context))
        {
            throw StrataException.BadInput($"{context}: the unwrapped key is {cek.Length} bytes, {enc} needs {ContentKeyBytes(enc, context)}");
        }

        var aad = Encoding.ASCII.GetBytes(message.Aad is null ? message.Protected : $"{message.Protected}.{JoseBase64.Encode(message.Aad)}");
        var plaintext = new byte[message.Ciphertext.Length];
        if (enc.EndsWith("GCM", StringComparison.Ordinal))
        {
            if (message.Iv.Length != 12 || message.Tag.Length != 16)
            {
                throw StrataException.BadInput($"{context}: {enc} needs a 12-byte iv and a 16-byte tag");
            }

            try
            {
                using var gcm = new AesGcm(cek, 16);
                gcm.Decrypt(message.Iv, message.Ciphertext, message.Tag, plaintext, aad);
                return plaintext;
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw StrataException.BadInput($"{context}: JWE authentication failed: the encrypted layer key or its headers were changed", e);
            }
        }

        // AES-CBC with HMAC-SHA2 (RFC 7518 section 5.2): MAC key first, then the encryption key.
        var half = cek.Length / 2;
        var macInput = new byte[aad.Length + message.Iv.Length + message.Ciphertext.Length + 8];
        aad.CopyTo(macInput, 0);
        message.Iv.CopyTo(macInput, aad.Length);
        message.Ciphertext.CopyTo(macInput, aad.Length + message.Iv.Length);
        BinaryPrimitives.WriteInt64BigEndian(macInput.AsSpan(macInput.Length - 8), (long)aad.Length * 8);
        var mac = enc switch
        {
            "A128CBC-HS256" => HMACSHA256.HashData(cek.AsSpan(0, half), macInput),
            "A192CBC-HS384" => HMACSHA384.HashData(cek.AsSpan(0, half), macInput),
            _ => HMACSHA512.HashData(cek.AsSpan(0, half), macInput),
        };
        if (message.Tag.Length != half || !CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, half), message.Tag))
        {
            throw StrataException.BadInput($"{context}: JWE authentication failed: the encrypted layer key or its headers were changed");
        }

        using var aes = Aes.Create();
        aes.Key = cek[half..];
        try
        {
            return aes.DecryptCbc(message.Ciphertext, message.Iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException e)
        {
            throw StrataException.BadInput($"{context}: JWE content does not decrypt", e);
        }
    }

    private static Message Parse(ReadOnlySpan<byte> jwe, string context)
    {
        if (jwe.Length > MaxBytes)
        {
            throw StrataException.BadInput($"{context}: the JWE is {jwe.Length} bytes, more than the {MaxBytes} accepted");
        }

        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(jwe.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{context}: not a JWE in JSON serialization ({e.Message})", e);
        }

        using var document = parsed;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw StrataException.BadInput($"{context}: not a JWE in JSON serialization");
        }

        string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        byte[] Bytes(JsonElement element, string name, string where) => Text(element, name) is { } text
            ? JoseBase64.Decode(text, $"{context}: {where}\"{name}\"")
            : throw StrataException.BadInput($"{context}: the JWE has no {where}\"{name}\"");

        var protectedText = Text(root, "protected") ?? throw StrataException.BadInput($"{context}: the JWE has no \"protected\" header");
        var shared = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        MergeHeader(shared, ParseHeader(JoseBase64.Decode(protectedText, $"{context}: \"protected\""), context), context);
        if (root.TryGetProperty("unprotected", out var unprotected))
        {
            MergeHeader(shared, unprotected, context);
        }

        var recipients = new List<Recipient>();
        if (root.TryGetProperty("recipients", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0)
        {
            if (list.GetArrayLength() > MaxRecipients)
            {
                throw StrataException.BadInput($"{context}: the JWE lists {list.GetArrayLength()} recipients, more than {MaxRecipients}");
            }

            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var header = new Dictionary<string, JsonElement>(shared, StringComparer.Ordinal);
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw StrataException.BadInput($"{context}: recipients[{index}] is not an object");
                }

                if (item.TryGetProperty("header", out var own))
                {
                    MergeHeader(header, own, context);
                }

                // ECDH-ES (direct) recipients carry no encrypted key.
                var key = Text(item, "encrypted_key") is { } k ? JoseBase64.Decode(k, $"{context}: recipients[{index}].encrypted_key") : [];
                recipients.Add(new Recipient(header, key));
                index++;
            }
        }
        else
        {
            var header = new Dictionary<string, JsonElement>(shared, StringComparer.Ordinal);
            if (root.TryGetProperty("header", out var own))
            {
                MergeHeader(header, own, context);
            }

            var key = Text(root, "encrypted_key") is { } k ? JoseBase64.Decode(k, $"{context}: \"encrypted_key\"") : [];
            recipients.Add(new Recipient(header, key));
        }

        var aad = Text(root, "aad") is { } a ? JoseBase64.Decode(a, $"{context}: \"aad\"") : null;
        return new Message(protectedText, aad, Bytes(root, "iv", string.Empty), Bytes(root, "ciphertext", string.Empty), Bytes(root, "tag", string.Empty), recipients);
    }

    private static JsonElement ParseHeader(byte[] json, string context)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{context}: the \"protected\" header is not JSON ({e.Message})", e);
        }
    }

    private static void MergeHeader(Dictionary<string, JsonElement> into, JsonElement header, string context)
    {
        if (header.ValueKind != JsonValueKind.Object)
        {
            throw StrataException.BadInput($"{context}: a JWE header is not a JSON object");
        }

        foreach (var field in header.EnumerateObject())
        {
            // RFC 7516 section 7.2.1: the protected, shared and per-recipient headers must be disjoint.
            if (!into.TryAdd(field.Name, field.Value.Clone()))
            {
                throw StrataException.BadInput($"{context}: header parameter \"{field.Name}\" appears in more than one JWE header");
            }
        }
    }
}
