namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>LABEL keys outside Docker's label key format, or in the namespaces Docker reserves.</summary>
public sealed class InvalidLabelKey : Check<DockerfileDocument>
{
    private static readonly string[] ReservedNamespaces = ["com.docker.", "io.docker.", "org.dockerproject."];

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-061",
        Title = "Invalid label key",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "Docker's label guidelines ask for keys in lowercase letters and digits, separated by single dots or dashes, starting with a letter and ending with a letter or digit, in reverse-DNS form (`org.opencontainers.image.source`); the `com.docker.*`, `io.docker.*` and `org.dockerproject.*` namespaces are reserved for Docker. Tools that query labels (filters, policies, SBOM and provenance readers) expect that form, and a reserved key may collide with Docker's own.",
        Remediation = "Rename the key in lowercase reverse-DNS form, preferably a standard one: `LABEL org.opencontainers.image.authors=\"team@example.com\"` rather than `LABEL Maintainer=…`.",
        References = ["https://docs.docker.com/engine/manage-resources/labels/#key-format-recommendations", "https://github.com/opencontainers/image-spec/blob/main/annotations.md"],
        Equivalents = ["Hadolint DL3048"],
        Examples =
        [
            new RuleExample("FROM debian:12\nLABEL Maintainer=\"jane@example.com\"", true, "upper case"),
            new RuleExample("FROM debian:12\nLABEL com.docker.compose.project=app", true, "a reserved namespace"),
            new RuleExample("FROM debian:12\nLABEL org.example..version=1 app-=x", true),
            new RuleExample("FROM debian:12\nLABEL 1st.label=x", true, "must start with a letter"),
            new RuleExample("FROM debian:12\nLABEL org.opencontainers.image.source=https://example.com/r version=1.2 vendor_name=acme", false),
            new RuleExample("FROM debian:12\nLABEL \"org.example.team\"=\"platform\"", false, "quotes are not part of the key"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var label in stage.Instructions.Where(i => i.Keyword == "LABEL"))
            {
                foreach (var key in WrittenKeys(subject, label))
                {
                    if (Problem(key) is { } problem)
                    {
                        yield return DockerfileFindings.At(Rule, subject, context.Target, stage, label, $"Label key '{Redact(key)}' {problem}.");
                    }
                }
            }
        }
    }

    /// <summary>The keys as written (a variable in a key stays visible), quotes removed.</summary>
    internal static IEnumerable<string> WrittenKeys(DockerfileDocument dockerfile, DockerfileInstruction label)
    {
        var words = WrittenText.Words(dockerfile, label);
        if (words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal))
        {
            yield return words[0].Trim('"', '\'');
            yield break;
        }

        foreach (var word in words)
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                yield return word[..equals].Replace("\"", string.Empty, StringComparison.Ordinal).Replace("'", string.Empty, StringComparison.Ordinal);
            }
        }
    }

    private static string? Problem(string key)
    {
        if (key.Length == 0 || key[0] is < 'a' or > 'z')
        {
            return "must start with a lowercase letter";
        }

        if (!char.IsAsciiLetterLower(key[^1]) && !char.IsAsciiDigit(key[^1]))
        {
            return "must end with a lowercase letter or a digit";
        }

        if (key.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_' or '/')))
        {
            return "may hold only lowercase letters, digits, '.', '-', '_' and '/'";
        }

        if (ReservedNamespaces.FirstOrDefault(n => key.StartsWith(n, StringComparison.Ordinal)) is { } reserved)
        {
            return $"is in the namespace {reserved[..^1]}, which Docker reserves";
        }

        return key.Contains("..", StringComparison.Ordinal) || key.Contains("--", StringComparison.Ordinal) ? "has two separators in a row" : null;
    }

    private static string Redact(string key) => Strata.Core.Findings.Redaction.Quote(key);
}
