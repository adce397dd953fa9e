namespace Strata.Encryption.Keys;

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Strata.Core;

/// <summary>
/// RSA and EC keys in the forms ocicrypt accepts (its utils.ParsePublicKey / ParsePrivateKey): PEM or DER
/// SubjectPublicKeyInfo, PKCS#1, PKCS#8 (also encrypted, with a password), SEC1 EC keys, and JWK.
/// EC keys come back as <see cref="ECDiffieHellman"/>, the form key agreement needs.
/// </summary>
public static class AsymmetricKeys
{
    /// <summary>Key files larger than this are refused before parsing.</summary>
    public const int MaxKeyFileBytes = 1024 * 1024;

    /// <summary>True when <paramref name="data"/> holds a private key (ocicrypt's IsPrivateKey: tried as one).</summary>
    public static bool LooksPrivate(ReadOnlySpan<byte> data)
    {
        var text = Encoding.ASCII.GetString(data.Length > 4096 ? data[..4096] : data);
        return text.Contains("PRIVATE KEY-----", StringComparison.Ordinal) || (text.TrimStart().StartsWith('{') && text.Contains("\"d\"", StringComparison.Ordinal));
    }

    /// <summary>Reads a public key (an RSA or EC key; a private key yields its public half).</summary>
    public static AsymmetricAlgorithm LoadPublic(ReadOnlySpan<byte> data, string source)
    {
        Bounded(data, source);
        if (TryJwk(data, source, out var jwk))
        {
            return jwk;
        }

        var text = Encoding.ASCII.GetString(data);
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            if (text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            {
                return LoadPrivate(data, null, source);
            }

            foreach (var create in Candidates())
            {
                try
                {
                    create.ImportFromPem(text);
                    return create;
                }
                catch (Exception e) when (e is CryptographicException or ArgumentException)
                {
                    create.Dispose();
                }
            }

            throw StrataException.BadInput($"{source}: no RSA or EC public key in this PEM file");
        }

        foreach (var create in Candidates())
        {
            try
            {
                create.ImportSubjectPublicKeyInfo(data, out var read);
                if (read == data.Length)
                {
                    return create;
                }
            }
            catch (CryptographicException)
            {
            }

            create.Dispose();
        }

        try
        {
            var rsa = RSA.Create();
            rsa.ImportRSAPublicKey(data, out _);
            return rsa;
        }
        catch (CryptographicException)
        {
            throw StrataException.BadInput($"{source}: not an RSA or EC public key (PEM, DER or JWK)");
        }
    }

    /// <summary>Reads a private key; <paramref name="password"/> opens an encrypted PKCS#8 key.</summary>
    public static AsymmetricAlgorithm LoadPrivate(ReadOnlySpan<byte> data, ReadOnlySpan<char> password, string source)
    {
        Bounded(data, source);
        if (TryJwk(data, source, out var jwk))
        {
            return jwk;
        }

        var text = Encoding.ASCII.GetString(data);
        var pem = text.Contains("-----BEGIN", StringComparison.Ordinal);
        var encrypted = pem ? text.Contains("ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal) : LooksEncryptedPkcs8(data);
        if (encrypted && password.IsEmpty)
        {
            throw StrataException.BadInput($"{source}: the private key is encrypted and no password was given");
        }

        CryptographicException? last = null;
        foreach (var key in Candidates())
        {
            try
            {
                if (pem && encrypted)
                {
                    key.ImportFromEncryptedPem(text, password);
                }
                else if (pem)
                {
                    key.ImportFromPem(text);
                }
                else if (encrypted)
                {
                    key.ImportEncryptedPkcs8PrivateKey(password, data, out _);
                }
                else
                {
                    ImportDerPrivate(key, data);
                }

                return key;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                last = e as CryptographicException ?? last;
                key.Dispose();
            }
        }

        throw StrataException.BadInput(encrypted
            ? $"{source}: could not decrypt the private key (wrong password?)"
            : $"{source}: not an RSA or EC private key (PEM, DER or JWK){(last is null ? string.Empty : $": {last.Message}")}");
    }

    /// <summary>The public half as SubjectPublicKeyInfo DER (used to match keys with recipients).</summary>
    public static byte[] PublicKeyInfo(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => rsa.ExportSubjectPublicKeyInfo(),
        ECDiffieHellman ec => ec.ExportSubjectPublicKeyInfo(),
        _ => throw new ArgumentException($"unsupported key type {key.GetType().Name}", nameof(key)),
    };

    private static AsymmetricAlgorithm[] Candidates() => [RSA.Create(), ECDiffieHellman.Create()];

    private static void Bounded(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length > MaxKeyFileBytes)
        {
            throw StrataException.BadInput($"{source}: {data.Length} bytes is too large for a key file");
        }

        if (data.IsEmpty)
        {
            throw StrataException.BadInput($"{source}: the key file is empty");
        }
    }

    private static void ImportDerPrivate(AsymmetricAlgorithm key, ReadOnlySpan<byte> data)
    {
        try
        {
            key.ImportPkcs8PrivateKey(data, out _);
            return;
        }
        catch (CryptographicException) when (key is RSA or ECDiffieHellman)
        {
        }

        switch (key)
        {
            case RSA rsa:
                rsa.ImportRSAPrivateKey(data, out _);
                break;
            case ECDiffieHellman ec:
                ec.ImportECPrivateKey(data, out _);
                break;
        }
    }

    private static bool LooksEncryptedPkcs8(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new System.Formats.Asn1.AsnReader(data.ToArray(), System.Formats.Asn1.AsnEncodingRules.BER);
            var sequence = reader.ReadSequence();
            var algorithm = sequence.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            return oid == "1.2.840.113549.1.5.13"; // PBES2
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return false;
        }
    }

    private static bool TryJwk(ReadOnlySpan<byte> data, string source, out AsymmetricAlgorithm key)
    {
        key = null!;
        var start = 0;
        while (start < data.Length && char.IsWhiteSpace((char)data[start]))
        {
            start++;
        }

        if (start == data.Length || data[start] != (byte)'{')
        {
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{source}: not a valid JWK ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            string? Field(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            byte[]? Bytes(string name) => Field(name) is { } v ? KeyWrap.JoseBase64.Decode(v, $"{source}: JWK field \"{name}\"") : null;
            switch (Field("kty"))
            {
                case "RSA":
                    var parameters = new RSAParameters
                    {
                        Modulus = Bytes("n") ?? throw StrataException.BadInput($"{source}: RSA JWK without \"n\""),
                        Exponent = Bytes("e") ?? throw StrataException.BadInput($"{source}: RSA JWK without \"e\""),
                        D = Bytes("d"),
                        P = Bytes("p"),
                        Q = Bytes("q"),
                        DP = Bytes("dp"),
                        DQ = Bytes("dq"),
                        InverseQ = Bytes("qi"),
                    };
                    var rsa = RSA.Create();
                    Import(() => rsa.ImportParameters(parameters), rsa, source);
                    key = rsa;
                    return true;
                case "EC":
                    var curve = Field("crv") switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        var other => throw StrataException.BadInput($"{source}: JWK curve \"{other}\" is not supported (P-256, P-384, P-521)"),
                    };
                    var ecParameters = new ECParameters
                    {
                        Curve = curve,
                        Q = new ECPoint { X = Bytes("x"), Y = Bytes("y") },
                        D = Bytes("d"),
                    };
                    var ec = ECDiffieHellman.Create();
                    Import(() => ec.ImportParameters(ecParameters), ec, source);
                    key = ec;
                    return true;
                default:
                    throw StrataException.BadInput($"{source}: JWK \"kty\" must be RSA or EC");
            }
        }
    }

    private static void Import(Action import, AsymmetricAlgorithm key, string source)
    {
        try
        {
            import();
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw StrataException.BadInput($"{source}: invalid JWK ({e.Message})", e);
        }
    }
}
