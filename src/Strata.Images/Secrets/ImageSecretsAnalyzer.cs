namespace Strata.Images.Secrets;

using Strata.Core.Rules;
using Strata.Secrets;

/// <summary>
/// The secret scanner as an image analyzer: every regular file of every layer (deleted and overwritten ones included,
/// since a deleted file stays in its layer), every config and history string, and the files of a root filesystem, in
/// the image scanner's single pass. Register it with <see cref="ImageScannerOptions.Analyzers"/>.
/// </summary>
/// <param name="secrets">The run's secret scanner, built when the first image or root filesystem is scanned.</param>
public sealed class ImageSecretsAnalyzer(SecretScannerProvider secrets) : IImageAnalyzer
{
    private readonly SecretScannerProvider secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));

    /// <summary>The run's secret rules, and the secret-named variable rule unless the configuration disables it.</summary>
    public IEnumerable<Rule> Rules => ReportsNamedVariables ? secrets.Rules.Append(SecretNamedVariable.Rule) : secrets.Rules;

    private bool ReportsNamedVariables => !secrets.Config.Disables(SecretNamedVariable.Rule.Id);

    public IImageAnalysis Begin(ImageSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return new ImageSecretsAnalysis(secrets.Scanner, ReportsNamedVariables, subject);
    }
}
