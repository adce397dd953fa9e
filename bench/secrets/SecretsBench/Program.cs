// bench/secrets entry point:
//   SecretsBench plant DIR      writes the planted secrets into DIR and their manifest (TSV: path, first line, last line, rule) to stdout
//   SecretsBench scan DIR       scans DIR as `strata scan rootfs:DIR` does (the image scanner's root filesystem path with
//                               the secret analyzer); secret findings (TSV: path, line, rule) to stdout, statistics to stderr
//   SecretsBench scan-all DIR   the same without the built-in allowed paths (docs, package metadata): every file is read
//   SecretsBench warm DIR       builds the secret scanner (the rule catalog), then scans twice in one process and reports
//                               the three times (catalog, start-up and JIT versus steady state)
//   SecretsBench keywords       the distinct keywords of every secret rule, one a line (the rg floor's fixed strings)
//   SecretsBench allowed-paths  the built-in allowed paths as globs, one a line (the rg floor excludes them as Strata does)
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images;
using Strata.Images.Secrets;
using Strata.Secrets;
using Strata.Testing;

if (args is ["keywords"])
{
    foreach (var keyword in SecretScanner.BuiltInRules.SelectMany(r => r.Keywords).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
    {
        Console.WriteLine(keyword);
    }

    return 0;
}

if (args is ["allowed-paths"])
{
    foreach (var glob in PathAllowList.BuiltIn)
    {
        Console.WriteLine(glob);
    }

    return 0;
}

if (args.Length != 2 || args[0] is not ("plant" or "scan" or "scan-all" or "warm"))
{
    await Console.Error.WriteLineAsync("usage: SecretsBench plant|scan|scan-all|warm DIR, or SecretsBench keywords|allowed-paths");
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

var secrets = new SecretScannerProvider(options: args[0] == "scan-all" ? new SecretScanOptions { UseBuiltInPathAllowList = false } : null);
var scanner = new ImageScanner(secrets, new ImageScannerOptions { Analyzers = [new ImageSecretsAnalyzer(secrets)] });
var target = new ScanTarget(TargetKind.RootFs, args[1], args[1]);

// The secret analysis logs its statistics (files and bytes scanned) at debug level.
var context = new ScanContext { Logger = new StatisticsLogger() };
var catalog = Stopwatch.StartNew();
if (args[0] == "warm")
{
    _ = secrets.Scanner;
}

catalog.Stop();
var clock = Stopwatch.StartNew();
var findings = await scanner.ScanAsync(target, context, CancellationToken.None);
clock.Stop();
if (args[0] == "warm")
{
    var second = Stopwatch.StartNew();
    await scanner.ScanAsync(target, new ScanContext(), CancellationToken.None);
    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"strata: catalog and scanner built in {catalog.Elapsed.TotalSeconds:F2} s, first scan {clock.Elapsed.TotalSeconds:F2} s, second scan {second.Elapsed.TotalSeconds:F2} s"));
}

// INFO findings are public samples and browser keys shown with their reason, not secrets: not scored.
var matches = findings.Where(f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal) && f.Severity > Strata.Core.Findings.Severity.Info).ToList();
foreach (var finding in matches)
{
    Console.WriteLine(string.Join('\t', finding.Location.Path, (finding.Location.Line ?? 0).ToString(CultureInfo.InvariantCulture), finding.RuleId));
}

await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"strata: {matches.Count} findings in {clock.Elapsed.TotalSeconds:F2} s"));
return 0;

/// <summary>Writes the scan's debug lines (the secret analysis's statistics among them) to stderr.</summary>
internal sealed class StatisticsLogger : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Console.Error.WriteLine("strata: " + formatter(state, exception));
}
