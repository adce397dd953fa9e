namespace Strata.Images.Dockerfile;

using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Dockerfile.Checks;

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

    public IEnumerable<Rule> Rules => Checks.Select(c => c.Rule);

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        var document = DockerfileParser.Load(target.Locator) with { File = target.Name };
        return Task.FromResult(Lint(document, target.Name));
    }

    /// <summary>Runs every check over a parsed Dockerfile.</summary>
    public static IReadOnlyList<Finding> Lint(DockerfileDocument dockerfile, string target) => [.. Checks.SelectMany(c => c.Evaluate(dockerfile, target))];
}
