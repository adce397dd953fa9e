namespace Strata.Images.Dockerfile.Fixes;

using Strata.Core;
using Strata.Core.Findings;

/// <summary>One fix applied: the rule, what was done, and the line of the finding (in the text as it was then).</summary>
public sealed record AppliedFix(string RuleId, string Description, int Line);

/// <summary>The fixed text, what was applied, and the findings left (those without a mechanical fix, or that one could not place).</summary>
public sealed record FixResult(string OriginalText, string FixedText, IReadOnlyList<AppliedFix> Applied, IReadOnlyList<Finding> Remaining)
{
    public bool Changed => !string.Equals(OriginalText, FixedText, StringComparison.Ordinal);
}

/// <summary>
/// Applies the mechanical fixes to a Dockerfile: lint, take the findings that have a fix, apply their edits, lint the
/// result again, until nothing more can be fixed. Every round's text must still parse; a fix that would leave its
/// finding in place is not retried.
/// </summary>
public sealed class DockerfileFixer
{
    private const int MaxRounds = 32;
    private readonly DockerfileScanner linter;
    private readonly Dictionary<string, DockerfileFix> fixes;

    public DockerfileFixer(DockerfileScanner linter, IEnumerable<DockerfileFix> fixes)
    {
        ArgumentNullException.ThrowIfNull(linter);
        ArgumentNullException.ThrowIfNull(fixes);
        this.linter = linter;
        this.fixes = fixes.ToDictionary(f => f.RuleId, StringComparer.Ordinal);
    }

    /// <summary>The fixes Strata has, by rule (the digest pin needs resolved digests, see <see cref="DigestPinFix"/>).</summary>
    public static IReadOnlyList<DockerfileFix> BuiltIn { get; } =
    [
        .. InsertOptionFix.BuiltIn,
        new AptListsCleanupFix(),
        new AddToCopyFix(),
        new CdToWorkdirFix(),
        new SecretMountFix(),
        new ExecFormFix(),
    ];

    /// <summary>Rules with a fix here.</summary>
    public IReadOnlyCollection<string> RuleIds => fixes.Keys;

    /// <param name="text">The Dockerfile as written.</param>
    /// <param name="file">Its name, for messages.</param>
    /// <param name="rules">Only fix findings of these rules (null: every rule with a fix).</param>
    public FixResult Fix(string text, string file, IReadOnlySet<string>? rules = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var applied = new List<AppliedFix>();
        var current = text;
        var document = DockerfileParser.Parse(current, file);
        var findings = linter.Lint(document, file);
        var unfixable = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; round < MaxRounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var subject = new FixSubject(new SourceText(current), document);
            var edits = new List<TextEdit>();
            var fixedNow = new List<(AppliedFix Fix, string Key)>();
            foreach (var finding in findings.OrderBy(f => f.Location.Line ?? 0))
            {
                var key = Key(finding);
                if (unfixable.Contains(key) || (rules is not null && !rules.Contains(finding.RuleId)) || !fixes.TryGetValue(finding.RuleId, out var fix))
                {
                    continue;
                }

                // A fix that declines now may apply once other fixes have changed the file (a secret ARG whose ENV user
                // was fixed first): declining is not remembered across rounds.
                var proposed = fix.Edits(subject, finding);
                if (proposed.Count == 0 || proposed.Any(p => edits.Any(e => Overlaps(e, p))))
                {
                    continue;
                }

                edits.AddRange(proposed);
                fixedNow.Add((new AppliedFix(finding.RuleId, fix.Description, finding.Location.Line ?? 0), key));
            }

            if (edits.Count == 0)
            {
                break;
            }

            var next = subject.Source.Apply(edits);
            DockerfileDocument nextDocument;
            try
            {
                nextDocument = DockerfileParser.Parse(next, file);
            }
            catch (StrataException)
            {
                // A fix must never break the file: drop this round's edits, remember them as not fixable, go on.
                foreach (var (_, key) in fixedNow)
                {
                    unfixable.Add(key);
                }

                continue;
            }

            var nextFindings = linter.Lint(nextDocument, file);
            foreach (var (fixApplied, key) in fixedNow)
            {
                // A fix whose finding is still there (same rule, same message) did not work: not tried again.
                if (nextFindings.Any(f => Key(f) == key))
                {
                    unfixable.Add(key);
                }
            }

            applied.AddRange(fixedNow.Select(f => f.Fix));
            current = next;
            document = nextDocument;
            findings = nextFindings;
        }

        return new FixResult(text, current, applied, findings);
    }

    private static bool Overlaps(TextEdit a, TextEdit b) => (a.Start < b.End && b.Start < a.End) || (a.Start == b.Start && a.Length == 0 && b.Length == 0);

    private static string Key(Finding finding) => finding.RuleId + "\u0000" + finding.Message;
}
