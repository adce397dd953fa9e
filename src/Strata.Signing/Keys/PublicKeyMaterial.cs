namespace Strata.Signing.Keys;

using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Strata.Core;

/// <summary>
/// A public key that verifies sigstore/cosign signatures, read as sigstore reads it: a <c>PUBLIC KEY</c>
/// (SubjectPublicKeyInfo) or <c>RSA PUBLIC KEY</c> (PKCS#1) PEM block. ECDSA keys verify ASN.1 DER signatures
/// over SHA-256, RSA keys PKCS#1 v1.5 with SHA-256, Ed25519 keys plain Ed25519, as containers/image does.
/// </summary>
public sealed class PublicKeyMaterial
{
    private readonly AsymmetricKeyParameter key;

    private PublicKeyMaterial(AsymmetricKeyParameter key, byte[] subjectPublicKeyInfo, string source)
    {
        this.key = key;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        Source = source;
        Algorithm = Describe(key);
    }

    /// <summary>Where the key came from (a file path or "key data"), for messages.</summary>
    public string Source { get; }

    /// <summary>e.g. "ECDSA P-256", "RSA 3072", "Ed25519".</summary>
    public string Algorithm { get; }

    /// <summary>The DER SubjectPublicKeyInfo (what <c>cosign.pub</c> holds, base64 in PEM).</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo, hex: a stable name for the key in output.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(SubjectPublicKeyInfo));

    /// <summary>The key as a <c>PUBLIC KEY</c> PEM block, as cosign writes <c>cosign.pub</c>.</summary>
    public string ToPem() => KeyPem.Encode("PUBLIC KEY", SubjectPublicKeyInfo);

    /// <summary>Reads one public key file.</summary>
    public static PublicKeyMaterial Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.Usage($"public key {path}: cannot be read ({e.Message}).");
        }

        return Parse(bytes, path);
    }

    /// <summary>Reads several public key files (as <c>--key</c> given more than once).</summary>
    public static IReadOnlyList<PublicKeyMaterial> Load(IEnumerable<string> paths) => paths.Select(Load).ToList();

    /// <summary>Parses the first PEM block of <paramref name="pem"/>, as sigstore's UnmarshalPEMToPublicKey does.</summary>
    public static PublicKeyMaterial Parse(ReadOnlySpan<byte> pem, string source)
    {
        var block = KeyPem.First(pem, source, "public key");
        try
        {
            return block.Label switch
            {
                "PUBLIC KEY" => FromSubjectPublicKeyInfo(block.Data, source),
                "RSA PUBLIC KEY" => FromPkcs1Rsa(block.Data, source),
                _ => throw StrataException.BadInput(
                    $"public key {source}: PEM type \"{block.Label}\" is not a public key (expected \"PUBLIC KEY\" or \"RSA PUBLIC KEY\")."),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or SecurityUtilityException or CryptographicException or Org.BouncyCastle.Asn1.Asn1Exception)
        {
            throw StrataException.BadInput($"public key {source}: not a valid {block.Label} ({e.Message}).");
        }
    }

    /// <summary>Wraps a key taken from a private key or certificate.</summary>
    internal static PublicKeyMaterial FromParameter(AsymmetricKeyParameter key, string source)
    {
        var info = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key);
        return new PublicKeyMaterial(key, info.GetDerEncoded(), source);
    }

    internal static PublicKeyMaterial FromSubjectPublicKeyInfo(byte[] der, string source)
    {
        var info = Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo.GetInstance(der);
        var key = PublicKeyFactory.CreateKey(info);
        CheckSupported(key, source);
        return new PublicKeyMaterial(key, info.GetDerEncoded(), source);
    }

    private static PublicKeyMaterial FromPkcs1Rsa(byte[] der, string source)
    {
        var rsa = Org.BouncyCastle.Asn1.X509.RsaPublicKeyStructure.GetInstance(der);
        return FromParameter(new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent), source);
    }

    private static void CheckSupported(AsymmetricKeyParameter key, string source)
    {
        if (key is not (ECPublicKeyParameters or RsaKeyParameters or Ed25519PublicKeyParameters))
        {
            throw StrataException.BadInput($"public key {source}: {key.GetType().Name} keys are not supported (ECDSA, RSA or Ed25519).");
        }
    }

    /// <summary>Whether <paramref name="signature"/> is this key's signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var signer = SignerUtilities.GetSigner(SignatureAlgorithm(key));
        signer.Init(false, key);
        signer.BlockUpdate(data);
        try
        {
            return signer.VerifySignature(signature.ToArray());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or Org.BouncyCastle.Asn1.Asn1Exception or CryptoException)
        {
            // A malformed DER signature is simply not a valid signature.
            return false;
        }
    }

    /// <summary>Whether both hold the same key.</summary>
    public bool SameKeyAs(PublicKeyMaterial other) => SubjectPublicKeyInfo.AsSpan().SequenceEqual(other.SubjectPublicKeyInfo);

    internal static string SignatureAlgorithm(AsymmetricKeyParameter key) => key switch
    {
        ECKeyParameters => "SHA-256withECDSA",
        RsaKeyParameters => "SHA-256withRSA",
        Ed25519PublicKeyParameters or Ed25519PrivateKeyParameters => "Ed25519",
        _ => throw new InvalidOperationException($"unsupported key type {key.GetType().Name}"),
    };

    private static string Describe(AsymmetricKeyParameter key) => key switch
    {
        ECPublicKeyParameters ec => $"ECDSA {CurveName(ec.Parameters)}",
        RsaKeyParameters rsa => $"RSA {rsa.Modulus.BitLength}",
        Ed25519PublicKeyParameters => "Ed25519",
        _ => key.GetType().Name,
    };

    private static string CurveName(ECDomainParameters parameters) => parameters switch
    {
        ECNamedDomainParameters named => Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetName(named.Name) switch
        {
            "secp256r1" or "prime256v1" or "P-256" => "P-256",
            "secp384r1" or "P-384" => "P-384",
            "secp521r1" or "P-521" => "P-521",
            { } other => other,
            null => named.Name.Id,
        },
        _ => $"{parameters.Curve.FieldSize}-bit curve",
    };
}
