namespace Strata.Images.Secrets;

using System.Collections.Concurrent;
using Strata.Core.Rules;
using Strata.Secrets;

/// <summary>
/// The secret scanner as an image analyzer: every regular file of every layer (deleted and overwritten ones included,
/// since a deleted file stays in its layer), every config and history string, and the files of a root filesystem, in
/// the image scanner's single pass. Register it with <see cref="ImageScannerOptions.Analyzers"/>.
/// </summary>
public sealed class ImageSecretsAnalyzer : IImageAnalyzer
{
    private readonly SecretScanOptions? options;
    private readonly SecretScanner defaultScanner;
    private readonly ConcurrentDictionary<string, Lazy<SecretScanner>> byConfigPath = new(StringComparer.Ordinal);

    /// <param name="config">Used when the scan names no <see cref="Core.Scanning.ScanContext.SecretConfigPath"/>.</param>
    public ImageSecretsAnalyzer(SecretScannerConfig? config = null, SecretScanOptions? options = null)
    {
        this.options = options;
        defaultScanner = config is null && options is null ? SecretScanner.Default : new SecretScanner(config, options);
    }

    /// <summary>The secret rules of the default scanner and the secret-named variable rule.</summary>
    public IEnumerable<Rule> Rules => defaultScanner.Rules.Append(SecretNamedVariable.Rule);

    public IImageAnalysis Begin(ImageSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return new ImageSecretsAnalysis(ScannerFor(subject.Context.SecretConfigPath), subject);
    }

    /// <summary>The scanner for a configuration file, built once per path (null: the default scanner).</summary>
    public SecretScanner ScannerFor(string? configPath)
    {
        if (configPath is null)
        {
            return defaultScanner;
        }

        var full = Path.GetFullPath(configPath);
        return byConfigPath.GetOrAdd(full, p => new Lazy<SecretScanner>(() => new SecretScanner(SecretScannerConfig.Load(p), options))).Value;
    }
}
