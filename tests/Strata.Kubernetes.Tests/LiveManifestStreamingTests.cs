namespace Strata.Kubernetes.Tests;

using System.Text;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Testing;
using YamlDotNet.RepresentationModel;

/// <summary>
/// A manifest of 100,000 objects (a whole cluster's worth, as `strata k8s scan` writes one, or a large Helm release)
/// is read one document, or one List item, at a time: counted, not timed. Halfway through, after a full collection,
/// none of the objects read before is still alive, so the parsed objects in memory at once stay a handful.
/// </summary>
public sealed class LiveManifestStreamingTests
{
    private const int Objects = 100_000;

    private static readonly Limits Large = Limits.Default with { MaxDocumentsPerFile = Objects + 1, MaxNodes = 40 * Objects };

    [Fact]
    public void Documents_are_not_kept_while_the_stream_is_read()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Objects; i++)
        {
            text.Append(Pod(i, withKind: true)).Append("---\n");
        }

        Assert.Equal(0, AliveHalfway(text.ToString(), null));
    }

    [Fact]
    public void Items_of_a_List_are_not_kept_while_it_is_read()
    {
        var text = new StringBuilder("kind: PodList\napiVersion: v1\nitems:\n");
        for (var i = 0; i < Objects; i++)
        {
            text.Append("- ").Append(Pod(i, withKind: false).Replace("\n", "\n  ", StringComparison.Ordinal).TrimEnd()).Append('\n');
        }

        Assert.Equal(0, AliveHalfway(text.ToString(), "items"));
    }

    [Fact]
    public async Task The_scanner_reports_every_object_of_a_100000_document_stream()
    {
        using var directory = new TempDirectory("strata-stream");
        var text = new StringBuilder();
        for (var i = 0; i < Objects; i++)
        {
            text.Append("---\n").Append(Pod(i, withKind: true));
        }

        var path = directory.WriteFile("cluster.yaml", text.ToString());
        var scanner = new KubernetesManifestScanner(BuiltInSecrets.Provider);

        var findings = await scanner.ScanAsync(new ScanTarget(TargetKind.KubernetesManifest, "cluster.yaml", path), new ScanContext { Limits = Large with { MaxDocumentBytes = 64L << 20 } }, CancellationToken.None);

        var privileged = findings.Where(f => f.RuleId == "PSS-001").ToList();
        Assert.Equal(Objects, privileged.Count(f => f.Folded == 0) + privileged.Sum(f => f.Folded));
        Assert.Contains(privileged, f => f.Location.Subject == "Pod/ns/p0" && f.Location.JsonPath == "$.spec.containers[0].securityContext.privileged");
    }

    private static string Pod(int index, bool withKind) =>
        (withKind ? "apiVersion: v1\nkind: Pod\n" : string.Empty)
        + $"metadata: {{name: p{index}, namespace: ns}}\nspec:\n  containers:\n  - {{name: c, image: nginx, securityContext: {{privileged: true}}}}\n";

    /// <summary>Reads the text; at the middle unit, collects and counts how many of the units before it are still alive.</summary>
    private static int AliveHalfway(string text, string? streamedKey)
    {
        var seen = new List<WeakReference<YamlNode>>();
        var alive = -1;
        YamlSource.Read(text, "big.yaml", Large, streamedKey, unit =>
        {
            if (unit.IsItem == (streamedKey is not null))
            {
                seen.Add(new WeakReference<YamlNode>(unit.Node));
            }

            if (seen.Count == Objects / 2 && alive < 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();

                // The few just read may still be on the parser's stack; none of the first 49,000 may be.
                alive = seen.Take(Objects / 2 - 1000).Count(r => r.TryGetTarget(out _));
            }
        });

        Assert.Equal(Objects, seen.Count);
        return alive;
    }
}
