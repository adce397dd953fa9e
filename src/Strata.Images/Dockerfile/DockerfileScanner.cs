namespace Strata.Images.Dockerfile;

using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Dockerfile.Checks;
using Strata.Secrets;

/// <summary>Lints a Dockerfile or Containerfile.</summary>
public sealed class DockerfileScanner : ITargetScanner
{
    /// <summary>Every Dockerfile check, in rule order.</summary>
    public static IReadOnlyList<IDockerfileCheck> Checks { get; } =
    [
        new LastUserIsRoot(),
        new SecretInArgOrEnv(),
        new AddFromUrl(),
        new AddWhereCopyFits(),
        new BaseImageNotTagged(),
        new BaseImageNotPinned(),
        new DownloadPipedToShell(),
        new AptInstallRecommends(),
        new AptListsNotCleaned(),
        new ApkAddWithCache(),
        new Sudo(),
        new PipeWithoutPipefail(),
        new CopyWholeFilesystem(),
        new NoHealthcheck(),
        new AptUpgrade(),
        new CdInRun(),
        new Maintainer(),
        new RepeatedCmdOrEntrypoint(),
        new RelativeWorkdir(),
        new RiskyExposedPort(),
        new WorldWritable(),
        new PipCache(),
        new NpmInstallWithoutLock(),
        new AptInstallWithoutYes(),
        new ChownAfterCopy(),
        new UnknownStageReference(),
        new DuplicateStageName(),
        new TlsVerificationDisabled(),
        new SignatureVerificationDisabled(),
        new AptUpdateAlone(),
    ];

    public string Name => "dockerfile";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.Dockerfile };

    /// <summary>The lint rules, and the secret rules run over the Dockerfile's text.</summary>
    public IEnumerable<Rule> Rules => Checks.Select(c => c.Rule).Concat(SecretScanner.BuiltInRules.Select(r => r.ToRule()));

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        var text = BoundedFile.ReadAllText(target.Locator, DockerfileParser.MaxBytes, "a Dockerfile", allowStandardInput: true);
        var document = DockerfileParser.Parse(text, target.Name);
        IReadOnlyList<Finding> findings = [.. Lint(document, target.Name), .. FindSecrets(text, target.Name)];
        return Task.FromResult(findings);
    }

    /// <summary>
    /// Credentials written anywhere in the Dockerfile (ARG defaults, ENV, RUN lines, heredocs): each stays in the
    /// file's history and usually in the image's, so each is reported where it is written.
    /// </summary>
    public static IEnumerable<Finding> FindSecrets(string text, string target) =>
        SecretScanner.Default.ScanText(text, target).Select(match =>
        {
            var finding = match.ToFinding(target, StackLayer.Image);
            return finding with { Location = finding.Location with { File = target, Path = null } };
        });

    /// <summary>Runs every check over a parsed Dockerfile.</summary>
    public static IReadOnlyList<Finding> Lint(DockerfileDocument dockerfile, string target) => [.. Checks.SelectMany(c => c.Evaluate(dockerfile, target))];
}
