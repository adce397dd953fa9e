namespace Strata.Signing.Keys;

using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Strata.Core;

/// <summary>
/// A private key that signs cosign payloads: ECDSA (ASN.1 DER signature over SHA-256), RSA (PKCS#1 v1.5, SHA-256)
/// or Ed25519 (plain Ed25519, which containers/image verifies; cosign itself signs Ed25519 as Ed25519ph).
/// Read from cosign's encrypted PEM (<c>ENCRYPTED SIGSTORE PRIVATE KEY</c> or <c>ENCRYPTED COSIGN PRIVATE KEY</c>)
/// or an unencrypted <c>PRIVATE KEY</c> (PKCS#8), <c>EC PRIVATE KEY</c> (SEC 1) or <c>RSA PRIVATE KEY</c> (PKCS#1).
/// </summary>
public sealed class SigningKey
{
    /// <summary>The PEM label cosign wrote before v2 and the issue asks Strata to write.</summary>
    public const string CosignEncryptedLabel = "ENCRYPTED COSIGN PRIVATE KEY";

    /// <summary>The PEM label current cosign writes.</summary>
    public const string SigstoreEncryptedLabel = "ENCRYPTED SIGSTORE PRIVATE KEY";

    private readonly AsymmetricKeyParameter key;

    private SigningKey(AsymmetricKeyParameter key, PublicKeyMaterial publicKey, string source)
    {
        this.key = key;
        PublicKey = publicKey;
        Source = source;
    }

    public PublicKeyMaterial PublicKey { get; }

    /// <summary>Where the key came from, for messages.</summary>
    public string Source { get; }

    /// <summary>A new ECDSA P-256 key, as <c>cosign generate-key-pair</c> makes.</summary>
    public static SigningKey GenerateEcdsaP256(out byte[] pkcs8)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        pkcs8 = ecdsa.ExportPkcs8PrivateKey();
        return FromPkcs8(pkcs8, "generated key");
    }

    /// <summary>
    /// Reads a private key file. <paramref name="passphrase"/> is asked only for an encrypted key; its bytes are
    /// wiped after use.
    /// </summary>
    public static SigningKey Load(string path, Func<byte[]> passphrase)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.Usage($"private key {path}: cannot be read ({e.Message}).");
        }

        try
        {
            return Parse(bytes, path, passphrase);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Parses the first PEM block of a private key file.</summary>
    public static SigningKey Parse(ReadOnlySpan<byte> pem, string source, Func<byte[]> passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        var block = KeyPem.First(pem, source, "private key");
        try
        {
            switch (block.Label)
            {
                case CosignEncryptedLabel or SigstoreEncryptedLabel:
                    var secret = passphrase();
                    byte[] pkcs8;
                    try
                    {
                        pkcs8 = EncryptedKeyBox.Decrypt(block.Data, secret, source);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(secret);
                    }

                    try
                    {
                        return FromPkcs8(pkcs8, source);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(pkcs8);
                    }

                case "PRIVATE KEY":
                    return FromPkcs8(block.Data, source);
                case "EC PRIVATE KEY":
                    using (var ec = ECDsa.Create())
                    {
                        ec.ImportECPrivateKey(block.Data, out _);
                        return FromPkcs8(ec.ExportPkcs8PrivateKey(), source);
                    }

                case "RSA PRIVATE KEY":
                    using (var rsa = RSA.Create())
                    {
                        rsa.ImportRSAPrivateKey(block.Data, out _);
                        return FromPkcs8(rsa.ExportPkcs8PrivateKey(), source);
                    }

                default:
                    throw StrataException.BadInput(
                        $"private key {source}: PEM type \"{block.Label}\" is not a supported private key "
                        + $"(\"{SigstoreEncryptedLabel}\", \"{CosignEncryptedLabel}\", \"PRIVATE KEY\", \"EC PRIVATE KEY\", \"RSA PRIVATE KEY\").");
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or InvalidOperationException or IOException or SecurityUtilityException or Org.BouncyCastle.Asn1.Asn1Exception)
        {
            // The exception text describes the structure, never the key bytes.
            throw StrataException.BadInput($"private key {source}: not a valid {block.Label} ({e.GetType().Name}).", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block.Data);
        }
    }

    private static SigningKey FromPkcs8(byte[] pkcs8, string source)
    {
        var key = PrivateKeyFactory.CreateKey(pkcs8);
        AsymmetricKeyParameter publicKey = key switch
        {
            ECPrivateKeyParameters ec => new ECPublicKeyParameters(ec.AlgorithmName, ec.Parameters.G.Multiply(ec.D).Normalize(), ec.Parameters),
            RsaPrivateCrtKeyParameters rsa => new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent),
            Ed25519PrivateKeyParameters ed => ed.GeneratePublicKey(),
            _ => throw StrataException.BadInput($"private key {source}: {key.GetType().Name} keys are not supported (ECDSA, RSA or Ed25519)."),
        };
        if (key is ECPrivateKeyParameters { PublicKeyParamSet: { } curve } named)
        {
            publicKey = new ECPublicKeyParameters(named.AlgorithmName, ((ECPublicKeyParameters)publicKey).Q, curve);
        }

        return new SigningKey(key, PublicKeyMaterial.FromParameter(publicKey, source), source);
    }

    /// <summary>Signs <paramref name="data"/>: the raw signature bytes (DER for ECDSA).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signer = SignerUtilities.GetSigner(PublicKeyMaterial.SignatureAlgorithm(key));
        signer.Init(true, key is Ed25519PrivateKeyParameters ? key : new ParametersWithRandom(key, new SecureRandom()));
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }

    /// <summary>The key as PKCS#8 DER (for writing it encrypted).</summary>
    public byte[] ExportPkcs8() => Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetDerEncoded();
}
