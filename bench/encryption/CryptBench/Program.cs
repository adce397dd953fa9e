// Layer cipher throughput: `encrypt FILE KEYHEX IVHEX` and `decrypt FILE KEYHEX IVHEX HMACHEX` stream FILE through
// Strata's AES_256_CTR_HMAC_SHA256 (CipherStream, as `strata encrypt`/`decrypt` do) into nothing, and print
// "mode bytes seconds MiB/s hmac". Start-up is excluded; the file is read from the page cache.
using System.Diagnostics;
using Strata.Encryption.Cipher;

var mode = args[0];
var file = args[1];
var key = Convert.FromHexString(args[2]);
var nonce = Convert.FromHexString(args[3]);
await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
var clock = Stopwatch.StartNew();
await using var cipher = mode == "encrypt"
    ? CipherStream.Encrypt(input, key, nonce, leaveOpen: true)
    : CipherStream.Decrypt(input, key, nonce, Convert.FromHexString(args[4]), "bench", leaveOpen: true);
var buffer = new byte[1 << 20];
long total = 0;
int n;
while ((n = await cipher.ReadAsync(buffer)) > 0)
{
    total += n;
}

var seconds = clock.Elapsed.TotalSeconds;
var hmac = mode == "encrypt" ? Convert.ToHexStringLower(cipher.Hmac) : "-";
Console.WriteLine(FormattableString.Invariant($"{mode} {total} {seconds:F3} {total / seconds / (1 << 20):F0} {hmac}"));
