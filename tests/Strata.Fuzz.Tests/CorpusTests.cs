namespace Strata.Fuzz.Tests;

using Strata.Testing;

/// <summary>
/// Every fuzz target run once over its seed corpus in-process, without AFL: the targets build and run in CI, every
/// seed (hand-written, or a crasher the fuzzer found and we fixed) is handled without a defect, and the seeds get
/// past the first checks, so fuzzing starts from inputs that reach deep.
/// </summary>
public sealed class CorpusTests
{
    private static string Corpus => Path.Combine(RepoPaths.Root, "fuzz", "corpus");

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Every_seed_runs_without_a_defect_and_some_get_through(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var seeds = Directory.GetFiles(Path.Combine(Corpus, name)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(seeds);
        var accepted = 0;
        foreach (var seed in seeds)
        {
            var result = await FuzzTargets.RunAsync(target, await File.ReadAllBytesAsync(seed), CancellationToken.None);
            accepted += result.Outcome == FuzzOutcome.Accepted ? 1 : 0;
        }

        Assert.True(accepted > 0, $"no seed of {name} gets through its target");
    }

    /// <summary>One folder per target and one target per folder (so two targets cannot share a name either).</summary>
    [Fact]
    public void Every_corpus_folder_belongs_to_a_target()
    {
        var folders = Directory.GetDirectories(Corpus).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(StringComparer.Ordinal), folders);
    }
}
