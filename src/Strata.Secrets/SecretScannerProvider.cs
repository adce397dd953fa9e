namespace Strata.Secrets;

using Strata.Core.Rules;

/// <summary>
/// The secret scanner of one run, shared by every scanner that reports <c>SEC-</c> rules (Dockerfiles, Kubernetes
/// manifests, images and root filesystems), which receive it when they are built. The scanner is built from the
/// run's configuration the first time one of them needs it, so a run without such a target never pays for it; the
/// rules it will run (the built-ins merged with the configuration) join the run's catalog without building it.
/// </summary>
public sealed class SecretScannerProvider
{
    private readonly Lazy<IReadOnlyList<SecretRule>> secretRules;
    private readonly Lazy<IReadOnlyList<Rule>> rules;
    private readonly Lazy<SecretScanner> scanner;

    public SecretScannerProvider(SecretScannerConfig? config = null, SecretScanOptions? options = null)
    {
        Config = config ?? new SecretScannerConfig();
        Options = options ?? new SecretScanOptions();
        Options.Validate();
        secretRules = new(() => Config.Apply(SecretScanner.BuiltInRules));
        rules = new(() => [.. secretRules.Value.Select(r => r.ToRule())]);
        scanner = new(() => new SecretScanner(secretRules.Value, Config, Options));
    }

    public SecretScannerConfig Config { get; }

    public SecretScanOptions Options { get; }

    /// <summary>The pattern rules of the run as catalog entries: what <see cref="Scanner"/> runs.</summary>
    public IReadOnlyList<Rule> Rules => rules.Value;

    /// <summary>The run's scanner, built on first use.</summary>
    public SecretScanner Scanner => scanner.Value;

    /// <summary>True once <see cref="Scanner"/> has been built.</summary>
    public bool IsBuilt => scanner.IsValueCreated;

    /// <summary>
    /// Checks the configuration against the rules (a <c>disable</c> naming no rule) without building the scanner, so
    /// a bad configuration stops a run before any target is read.
    /// </summary>
    public void Validate() => _ = secretRules.Value;
}
