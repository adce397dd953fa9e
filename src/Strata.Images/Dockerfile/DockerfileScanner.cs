namespace Strata.Images.Dockerfile;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Dockerfile.Checks;
using Strata.Images.Dockerfile.Context;
using Strata.Secrets;

/// <summary>Lints a Dockerfile or Containerfile, and runs the secret rules over its text.</summary>
public sealed class DockerfileScanner : ITargetScanner
{
    private readonly SecretScannerProvider secrets;

    // Build contexts shared by the Dockerfiles of this run (one scanner per run).
    private readonly BuildContextCache contextCache = new();

    /// <param name="secrets">The run's secret scanner (for the secret rules and DKF-002), built when the first Dockerfile is scanned.</param>
    /// <param name="config">Trusted registries and the label schema (<c>.hadolint.yaml</c>); none: the rules that need them stay silent.</param>
    public DockerfileScanner(SecretScannerProvider secrets, DockerfileLintConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        this.secrets = secrets;
        config ??= DockerfileLintConfig.Empty;
        Checks =
        [
            new LastUserIsRoot(),
            new SecretInArgOrEnv(secrets),
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
            new FinalStageWithoutHealthcheck(),
            new DistributionUpgrade(),
            new CdInRun(),
            new Maintainer(),
            new RepeatedCmdOrEntrypoint(),
            new RelativeWorkdir(),
            new RiskyPortInExpose(),
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
            new AptPackageNotPinned(),
            new PipPackageNotPinned(),
            new NpmPackageNotPinned(),
            new ApkPackageNotPinned(),
            new GemNotPinned(),
            new YumPackageNotPinned(),
            new ZypperPackageNotPinned(),
            new DnfPackageNotPinned(),
            new GoModuleNotPinned(),
            new YumWithoutYes(),
            new ZypperWithoutNonInteractive(),
            new DnfWithoutYes(),
            new YumCacheNotCleaned(),
            new ZypperCacheNotCleaned(),
            new DnfCacheNotCleaned(),
            new YarnCacheNotCleaned(),
            new AptInsteadOfAptGet(),
            new PointlessCommand(),
            new ArchiveCopiedThenExtracted(),
            new InvalidExposedPort(),
            new MultipleSourcesToFile(),
            new ShellFormCommand(),
            new UntrustedRegistry(config),
            new FixedPlatform(),
            new EnvUsesItsOwnDefinition(),
            new RelativeCopyWithoutWorkdir(),
            new UseraddLargeUid(),
            new WgetProgressBar(),
            new InvalidLabelKey(),
            new MissingLabel(config),
            new SuperfluousLabel(config),
            new EmptyLabel(config),
            new LabelNotUrl(config),
            new LabelNotRfc3339(config),
            new LabelNotSpdx(config),
            new LabelNotGitHash(config),
            new LabelNotSemVer(config),
            new LabelNotEmail(config),
            new ConsecutiveRuns(),
            new ReservedStageName(),
            new RedundantTargetPlatform(),
            new NonNumericUser(),
            new CurlAndWget(),
            new ShellReplacedBySymlink(),
            new NoUser(),
            new WorkdirInSystemDirectory(),
        ];
        ContextChecks =
        [
            new SecretInCopiedFile(),
            new SensitiveFilesInDirectoryCopy(),
            new CopiedThenDeleted(),
            new SecretNotMounted(),
        ];
    }

    /// <summary>Every Dockerfile check, in rule order.</summary>
    public IReadOnlyList<Check<DockerfileDocument>> Checks { get; }

    /// <summary>
    /// The checks of what a build takes from its context (DKF-080 on), in rule order: they read the Dockerfile with the
    /// build context when one is given (<see cref="ScanTarget.BuildContext"/>), the sources it names otherwise.
    /// </summary>
    public IReadOnlyList<Check<DockerfileBuild>> ContextChecks { get; }

    public string Name => "dockerfile";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.Dockerfile };

    /// <summary>The lint rules, and the secret rules run over the Dockerfile's text.</summary>
    public IEnumerable<Rule> Rules => Checks.Select(c => c.Rule).Concat(ContextChecks.Select(c => c.Rule)).Concat(secrets.Rules);

    public async Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var text = BoundedFile.ReadAllText(target.Locator, DockerfileParser.MaxBytes, "a Dockerfile", allowStandardInput: true);
        var document = DockerfileParser.Parse(text, target.Name);
        var dockerfilePath = target.Locator == BoundedFile.StandardInput ? null : target.Locator;
        var (build, copiedSecrets) = await BuildContextReader.ReadAsync(document, target, dockerfilePath, secrets, context, contextCache, cancellationToken);

        // Credentials written anywhere in the Dockerfile (ARG defaults, ENV, RUN lines, heredocs): each stays in the
        // file's history and usually in the image's, so each is reported where it is written. Those in files the
        // build copies are reported on the file, and on the instruction that copies it (DKF-080).
        var checks = context.ChecksOf(target.Name);
        return
        [
            .. CheckRunner.Run(Checks, document, checks, context.Logger, cancellationToken),
            .. CheckRunner.Run(ContextChecks, build, checks, context.Logger, cancellationToken),
            .. secrets.Scanner.FindInFile(text, target, StackLayer.Image),
            .. copiedSecrets,
        ];
    }

    /// <summary>Runs every check over a parsed Dockerfile, without a build context (no logging of checks that do not apply).</summary>
    public IReadOnlyList<Finding> Lint(DockerfileDocument dockerfile, string target) =>
        [
            .. CheckRunner.Run(Checks, dockerfile, new CheckContext(target), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None),
            .. CheckRunner.Run(ContextChecks, DockerfileBuild.Of(dockerfile), new CheckContext(target), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None),
        ];
}
