// bench/secrets entry point:
//   SecretsBench plant DIR      writes the planted secrets into DIR and their manifest (TSV: path, first line, last line, rule) to stdout
//   SecretsBench scan DIR       scans DIR like `trivy rootfs`; findings (TSV: path, line, rule) to stdout, statistics to stderr
//   SecretsBench scan-all DIR   the same without the built-in allowed paths (docs, package metadata): every file is read
//   SecretsBench warm DIR       scans twice in one process and reports both times (start-up and JIT versus steady state)
using System.Diagnostics;
using System.Globalization;
using Strata.Secrets;
using Strata.Secrets.Tests;

if (args.Length != 2 || args[0] is not ("plant" or "scan" or "scan-all" or "warm"))
{
    await Console.Error.WriteLineAsync("usage: SecretsBench plant|scan|scan-all|warm DIR");
    return 2;
}

if (args[0] == "plant")
{
    foreach (var secret in PlantedSecrets.Plant(args[1]))
    {
        Console.WriteLine(string.Join('\t', secret.Path, secret.FirstLine, secret.EndLine, secret.RuleId));
    }

    return 0;
}

var scanner = args[0] == "scan-all" ? new SecretScanner(options: new SecretScanOptions { UseBuiltInPathAllowList = false }) : SecretScanner.Default;
var clock = Stopwatch.StartNew();
var result = await new RootFsSecretScanner(scanner).ScanAsync(args[1]);
clock.Stop();
if (args[0] == "warm")
{
    var second = Stopwatch.StartNew();
    await new RootFsSecretScanner(scanner).ScanAsync(args[1]);
    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"strata: first scan {clock.Elapsed.TotalSeconds:F2} s, second scan {second.Elapsed.TotalSeconds:F2} s"));
}

foreach (var match in result.Matches)
{
    Console.WriteLine(string.Join('\t', match.Path, match.Line.ToString(CultureInfo.InvariantCulture), match.Rule.Id));
}

await Console.Error.WriteLineAsync(string.Create(
    CultureInfo.InvariantCulture,
    $"strata: {result.Matches.Count} findings, {result.FilesScanned} text files scanned, {result.FilesBinary} binary, {result.FilesAllowed} allowed, {result.BytesScanned / 1048576.0:F1} MiB read in {clock.Elapsed.TotalSeconds:F2} s"));
return 0;
