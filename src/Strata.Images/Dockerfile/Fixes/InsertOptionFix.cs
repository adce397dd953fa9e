namespace Strata.Images.Dockerfile.Fixes;

using Strata.Core.Findings;

/// <summary>
/// Fixes a package-manager command by adding one option after its subcommand: one data entry per rule
/// (<c>apt-get install --no-install-recommends</c>, <c>apt-get install -y</c>, <c>apk add --no-cache</c>, <c>pip install --no-cache-dir</c>).
/// </summary>
public sealed class InsertOptionFix(string ruleId, IReadOnlyList<string> programs, string subcommand, string option, IReadOnlyList<string>? equivalentOptions = null) : DockerfileFix
{
    /// <summary>The option fixes the built-in rules have.</summary>
    public static IReadOnlyList<InsertOptionFix> BuiltIn { get; } =
    [
        new("DKF-008", ["apt-get", "apt", "aptitude"], "install", "--no-install-recommends"),
        new("DKF-010", ["apk"], "add", "--no-cache"),
        new("DKF-022", ["pip", "pip3"], "install", "--no-cache-dir"),
        new("DKF-024", ["apt-get", "apt", "aptitude"], "install", "-y", ["--yes", "--assume-yes", "-qq"]),
    ];

    public override string RuleId => ruleId;

    public override string Description => $"add {option} to {programs[0]} {subcommand}";

    public override IReadOnlyList<TextEdit> Edits(FixSubject subject, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(finding);
        var accepted = new HashSet<string>([option, .. equivalentOptions ?? []], StringComparer.Ordinal);
        foreach (var (run, command, offset) in subject.CommandsAt(finding, c => programs.Contains(c.Program, StringComparer.Ordinal) && c.Arguments.Contains(subcommand, StringComparer.Ordinal) && !c.Arguments.Any(accepted.Contains)))
        {
            if (offset is not int start)
            {
                continue;
            }

            var limit = subject.EndOfArguments(run);
            if (subject.AfterWord(start, limit, subcommand) is int after)
            {
                return [TextEdit.Insert(after, " " + option)];
            }
        }

        return [];
    }
}
