namespace Strata.Testing;

using System.IO.Hashing;
using System.Text;

/// <summary>Synthetic tokens in formats that carry a checksum, so that tests exercise the real validation.</summary>
public static class SecretTokens
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A GitHub (ghp_, gho_ …) or npm (npm_) token: the prefix, 30 random characters and their CRC32 in six base62 digits.</summary>
    public static string WithChecksum(string prefix, string random30)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(random30);
        if (random30.Length != 30)
        {
            throw new ArgumentException("GitHub and npm tokens have 30 random characters.", nameof(random30));
        }

        var crc = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(random30));
        var digits = new char[6];
        for (var i = 5; i >= 0; i--)
        {
            digits[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }

        return prefix + random30 + new string(digits);
    }
}
