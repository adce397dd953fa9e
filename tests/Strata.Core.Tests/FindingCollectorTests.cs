namespace Strata.Core.Tests;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>At most N findings of a rule per target are kept as they arrive; the rest become one summary that counts them.</summary>
public sealed class FindingCollectorTests
{
    private static readonly Rule Rule = new()
    {
        Id = "TST-001",
        Title = "Test rule",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "Why.",
        Remediation = "Fix.",
    };

    private static Finding At(int index, string target = "pod.yaml", Severity? severity = null) =>
        Finding.For(Rule, target, new Location { File = target, JsonPath = $"$.spec.containers[{index}]" }, $"container {index}", severity: severity);

    [Fact]
    public void Past_the_cap_findings_are_counted_in_one_summary_of_their_rule_and_target()
    {
        var collector = new FindingCollector(3);
        for (var i = 0; i < 1000; i++)
        {
            collector.Add(At(i, severity: i == 500 ? Severity.High : null));
        }

        collector.Add(At(0, "other.yaml"));
        var findings = collector.ToList();
        Assert.Equal(5, findings.Count);
        Assert.Equal(["container 0", "container 1", "container 2", "container 0"], findings.Take(4).Select(f => f.Message));
        var summary = findings[^1];
        Assert.Equal(997, summary.Folded);
        Assert.Equal(997, collector.Folded);
        Assert.Equal("TST-001", summary.RuleId);
        Assert.Equal("pod.yaml", summary.Target);
        Assert.Equal(Severity.High, summary.Severity);
        Assert.Equal(new Location { File = "pod.yaml", Subject = FindingCollector.FoldedSubject }, summary.Location);
        Assert.Equal("and 997 more TST-001 findings in pod.yaml, not listed one by one: at most 3 per rule and target are (--limits findings-per-rule=N lists more).", summary.Message);
        Assert.Null(summary.Evidence);
        Assert.Equal("Why.", summary.Explanation);
    }

    [Fact]
    public void A_summary_from_another_collector_adds_its_count_instead_of_counting_once()
    {
        var inner = new FindingCollector(2);
        for (var i = 0; i < 10; i++)
        {
            inner.Add(At(i));
        }

        var outer = new FindingCollector(2);
        outer.AddRange(inner.ToList());
        outer.AddRange(inner.ToList());
        var findings = outer.ToList();
        Assert.Equal(3, findings.Count);
        Assert.Equal(18, findings[^1].Folded);
        Assert.Equal("and 18 more TST-001 findings in pod.yaml, not listed one by one: at most 2 per rule and target are (--limits findings-per-rule=N lists more).", findings[^1].Message);
    }

    [Fact]
    public void The_summary_fingerprint_does_not_change_with_the_count()
    {
        var few = new FindingCollector(1);
        var many = new FindingCollector(1);
        few.AddRange([At(0), At(1)]);
        many.AddRange(Enumerable.Range(0, 50).Select(i => At(i)));
        Assert.Equal(few.ToList()[^1].Fingerprint, many.ToList()[^1].Fingerprint);
    }

    [Fact]
    public void The_check_runner_folds_as_a_check_yields_so_a_million_findings_are_never_held()
    {
        var check = new Endless();
        var findings = CheckRunner.Run([check], 1_000_000, new CheckContext("pod.yaml") { MaxFindingsPerRule = 10 }, NullLogger.Instance, CancellationToken.None);
        Assert.Equal(11, findings.Count);
        Assert.Equal(999_990, findings[^1].Folded);
        Assert.Contains("and 999,990 more TST-001 findings", findings[^1].Message, StringComparison.Ordinal);
        Assert.True(check.MostAlive < 100, "findings were held while the check ran");
    }

    /// <summary>Yields one finding per unit of its subject and counts how many are not yet collected.</summary>
    private sealed class Endless : Check<int>
    {
        public override Rule Rule => FindingCollectorTests.Rule;

        public int MostAlive { get; private set; }

        public override IEnumerable<Finding> Evaluate(int subject, CheckContext context)
        {
            var alive = new List<WeakReference<Finding>>();
            for (var i = 0; i < subject; i++)
            {
                var finding = At(i);
                alive.Add(new WeakReference<Finding>(finding));
                if (i % 100_000 == 99_999)
                {
                    GC.Collect();
                    alive.RemoveAll(w => !w.TryGetTarget(out _));
                    MostAlive = Math.Max(MostAlive, alive.Count);
                    alive.Clear();
                }

                yield return finding;
            }
        }
    }
}
