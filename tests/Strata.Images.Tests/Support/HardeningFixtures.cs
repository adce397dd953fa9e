namespace Strata.Images.Tests.Support;

using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Hardening;
using Strata.Testing;

/// <summary>A clock stopped at one instant, so end-of-life results do not change with the calendar.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public static readonly FixedTime FixtureDate = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A built image, scanned once: the view and the findings.</summary>
public sealed record ScannedImage(BuiltImage Image, string Reference, ImageView View, IReadOnlyList<Finding> Findings)
{
    public IReadOnlyList<Finding> Of(string ruleId) => [.. Findings.Where(f => f.RuleId == ruleId)];

    public Finding At(string ruleId, string path) =>
        Findings.SingleOrDefault(f => f.RuleId == ruleId && f.Location.Path == path)
        ?? throw new Xunit.Sdk.XunitException($"no {ruleId} finding at {path}; found: {string.Join(", ", Findings.Select(f => $"{f.RuleId} {f.Location.Describe()}"))}");

    public static async Task<ScannedImage> ScanAsync(BuiltImage image, string reference)
    {
        var scanner = new ImageScanner(BuiltInSecrets.Provider, new ImageScannerOptions { Time = FixedTime.FixtureDate });
        var target = new ScanTarget(TargetKind.Image, reference, reference);
        var (view, _) = await scanner.ReadImageAsync(target, new ScanContext(), CancellationToken.None);
        var findings = scanner.Evaluate(view, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        return new ScannedImage(image, reference, view, findings);
    }
}

/// <summary>The planted and the clean image, built (cached) and scanned once for all tests.</summary>
public sealed class HardeningImagesFixture : IAsyncLifetime
{
    private ScannedImage? planted;
    private ScannedImage? clean;

    public ScannedImage Planted => planted ?? throw new InvalidOperationException("fixture not initialised");

    public ScannedImage Clean => clean ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync()
    {
        var plantedBuild = ContainerImages.BuildAsync(HardeningImages.Planted);
        var cleanBuild = ContainerImages.BuildAsync(HardeningImages.Clean);
        var plantedImage = await plantedBuild;
        var cleanImage = await cleanBuild;
        planted = await ScannedImage.ScanAsync(plantedImage, plantedImage.OciReference);
        clean = await ScannedImage.ScanAsync(cleanImage, cleanImage.DockerArchiveReference);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>The debootstrap Debian image, built (cached) and scanned once.</summary>
public sealed class DebianImageFixture : IAsyncLifetime
{
    private ScannedImage? debian;

    public ScannedImage Debian => debian ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync()
    {
        var tar = await DebianRootfs.GetRootfsTarAsync();
        var image = await ContainerImages.BuildAsync(HardeningImages.Debian(tar));
        debian = await ScannedImage.ScanAsync(image, image.OciReference);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
