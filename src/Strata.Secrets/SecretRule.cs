namespace Strata.Secrets;

using System.Text.RegularExpressions;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>What a secret rule checks beyond its regex, for formats a regex cannot confirm.</summary>
public enum SecretValidation
{
    None,

    /// <summary>A JWT: the first part decodes (base64url) to a JSON object with an <c>alg</c> member.</summary>
    Jwt,

    /// <summary>Base64 that decodes to printable <c>user:password</c> (Docker <c>auth</c>, HTTP Basic).</summary>
    Base64UserPassword,

    /// <summary>An OpenSSH private key whose cipher is <c>none</c>.</summary>
    OpenSshUnencrypted,

    /// <summary>An OpenSSH private key protected by a cipher.</summary>
    OpenSshEncrypted,

    /// <summary>
    /// GitHub's and npm's token format: after the four-character prefix, 30 random base62 characters and the CRC32 of
    /// those 30, in six base62 digits (0-9A-Za-z, most significant first, zero-padded).
    /// </summary>
    Crc32Base62,

    /// <summary>An OpenAI key: the watermark (base64 of "OpenAI") once, with at least 20 key characters on each side.</summary>
    OpenAiWatermark,

    /// <summary>A Sentry organization token: base64 of a JSON object with <c>iat</c> and <c>url</c> or <c>org</c>, then <c>_</c> and the secret.</summary>
    SentryOrgToken,

    /// <summary>A PEM body (however escaped) that decodes to a DER SEQUENCE: not an elided or truncated example.</summary>
    PemDer,

    /// <summary>An armoured PGP private key block whose Secret-Key packet is not passphrase-protected (or cannot be told).</summary>
    PgpUnprotected,

    /// <summary>An armoured PGP private key block whose Secret-Key packet is passphrase-protected.</summary>
    PgpProtected,

    /// <summary>A base64 PKCS#12 key store that holds a private key and opens without a password.</summary>
    Pkcs12Unprotected,

    /// <summary>A base64 PKCS#12 key store that holds a password-protected private key.</summary>
    Pkcs12Protected,

    /// <summary>An ssh.com (SSH2) private key whose cipher is <c>none</c>.</summary>
    Ssh2Unencrypted,

    /// <summary>An ssh.com (SSH2) private key protected by a cipher.</summary>
    Ssh2Encrypted,

    /// <summary>A PEM body (however escaped) that is base64 of at least 32 bytes: a key of a format not checked further.</summary>
    PemBase64,

    /// <summary>
    /// A <c>(?&amp;keyword-assignment:…)</c> match whose key names a secret and whose value is one, judged with the kind
    /// of file it stands in (<see cref="Assignments.KeywordAssignment"/>).
    /// </summary>
    KeywordAssignment,
}

/// <summary>
/// One secret pattern of the catalog, as read from the rule data: the keywords that gate it,
/// the regex (with a <c>secret</c> group) and the filters that keep placeholders out.
/// </summary>
public sealed class SecretRule
{
    /// <summary>Bounds how long one regex may run on one window, so a hostile file cannot stall a scan.</summary>
    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the backtracking engine may run on one window before the rule moves to the linear-time engine for the
    /// rest of the run. Catalog patterns on keyword-sized windows finish in microseconds; only a pathological
    /// pattern/input pair comes near this.
    /// </summary>
    internal static readonly TimeSpan BacktrackingBudget = TimeSpan.FromMilliseconds(100);

    private readonly Lazy<Regex> regex;
    private readonly Lazy<Regex?> linear;
    private volatile bool linearOnly;
    private readonly Lazy<IReadOnlyList<Regex>> allow;

    internal SecretRule(
        string id,
        string title,
        Severity severity,
        IReadOnlyList<string> keywords,
        string pattern,
        double? entropyFloor,
        IReadOnlyList<string> allowPatterns,
        int windowBefore,
        int windowAfter,
        int precedence,
        SecretValidation validation,
        string explanation,
        string remediation,
        IReadOnlyList<string> references,
        IReadOnlyList<string> matchExamples,
        IReadOnlyList<string> noMatchExamples)
    {
        Id = id;
        Title = title;
        Severity = severity;
        Keywords = keywords;
        Pattern = pattern;
        EntropyFloor = entropyFloor;
        WindowBefore = windowBefore;
        WindowAfter = windowAfter;
        Precedence = precedence;
        Validation = validation;
        Explanation = explanation;
        Remediation = remediation;
        References = references;
        MatchExamples = matchExamples;
        NoMatchExamples = noMatchExamples;

        // Compiled lazily: a rule whose keywords never occur costs nothing.
        regex = new Lazy<Regex>(() => new Regex(pattern, Options, BacktrackingBudget), LazyThreadSafetyMode.ExecutionAndPublication);
        linear = new Lazy<Regex?>(() => CompileLinear(pattern), LazyThreadSafetyMode.ExecutionAndPublication);

        // The catalog's allow patterns are short literals and classes over one match's text: the interpreter, built in microseconds.
        allow = new Lazy<IReadOnlyList<Regex>>(() => [.. allowPatterns.Select(p => new Regex(p, Options, MatchTimeout))], LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Id { get; }

    public string Title { get; }

    public Severity Severity { get; }

    /// <summary>Lower-case literals; the regex runs only near an occurrence of one of them.</summary>
    public IReadOnlyList<string> Keywords { get; }

    public string Pattern { get; }

    /// <summary>Minimum Shannon entropy (bits per character) of the secret, if any.</summary>
    public double? EntropyFloor { get; }

    /// <summary>Regexes for placeholders: a match whose secret or text matches one is not reported.</summary>
    public IReadOnlyList<Regex> Allow => allow.Value;

    /// <summary>Characters before a keyword hit the regex may look at.</summary>
    public int WindowBefore { get; }

    /// <summary>Characters after a keyword hit the regex may look at.</summary>
    public int WindowAfter { get; }

    /// <summary>When two matches overlap, the higher precedence wins (specific tokens over generic assignments).</summary>
    public int Precedence { get; }

    public SecretValidation Validation { get; }

    public string Explanation { get; }

    public string Remediation { get; }

    public IReadOnlyList<string> References { get; }

    public IReadOnlyList<string> MatchExamples { get; }

    public IReadOnlyList<string> NoMatchExamples { get; }

    /// <summary>Examples reported at INFO only: documented sample values, public browser keys.</summary>
    public IReadOnlyList<string> InformationalExamples { get; internal init; } = [];

    /// <summary>What kind of evidence a match of this rule is (the <c>evidence:</c> key, or <see cref="DefaultEvidence"/>).</summary>
    public EvidenceKind Evidence { get; internal init; } = EvidenceKind.ProviderPattern;

    /// <summary>
    /// The regex to run: the backtracking interpreter, cheap to build and fast on short windows, until it once exceeds
    /// <see cref="BacktrackingBudget"/>; from then on the linear-time engine, where the pattern allows it.
    /// </summary>
    internal Regex Regex => linearOnly && linear.Value is { } linearRegex ? linearRegex : regex.Value;

    /// <summary>True once the rule runs on the linear-time engine (after a window exceeded the backtracking budget).</summary>
    internal bool UsesLinearEngine => linearOnly && linear.Value is not null;

    /// <summary>
    /// Moves the rule to the linear-time engine after <paramref name="timedOut"/> exceeded its budget (<paramref name="exception"/>). False when there is
    /// nothing to move to: the pattern needs backtracking (lookarounds, backreferences), or it already runs linear.
    /// </summary>
    internal bool SwitchToLinear(Regex timedOut, RegexMatchTimeoutException exception)
    {
        // The exception may come from an allow pattern run on the match: only the rule's own regex moves.
        if (!ReferenceEquals(timedOut, regex.Value) || exception.Pattern != timedOut.ToString() || linear.Value is null)
        {
            return false;
        }

        linearOnly = true;
        return true;
    }

    /// <summary>The rule as the catalog and the generated docs show it.</summary>
    public Rule ToRule() => new()
    {
        Id = Id,
        Title = Title,
        Severity = Severity,
        Layer = StackLayer.Image,
        Explanation = Explanation,
        Remediation = Remediation,
        References = References,
        Examples =
        [
            .. MatchExamples.Select(e => new RuleExample(e, true)),
            .. NoMatchExamples.Select(e => new RuleExample(e, false)),
            .. InformationalExamples.Select(e => new RuleExample(e, false, "reported at INFO only: a documented sample or public value")),
        ],
    };

    /// <summary>
    /// The evidence kind of a rule that does not name one: a checksum validation is checksum-validated, another validation
    /// structured, a generic (negative precedence) assignment rule keyword-entropy, anything else a provider pattern.
    /// </summary>
    internal static EvidenceKind DefaultEvidence(SecretValidation validation, int precedence) => validation switch
    {
        SecretValidation.Crc32Base62 or SecretValidation.OpenAiWatermark or SecretValidation.SentryOrgToken => EvidenceKind.ChecksumValidated,
        SecretValidation.KeywordAssignment => EvidenceKind.KeywordEntropy,
        SecretValidation.None when precedence < 0 => EvidenceKind.KeywordEntropy,
        SecretValidation.None => EvidenceKind.ProviderPattern,
        _ => EvidenceKind.Structured,
    };

    public override string ToString() => Id;

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>
    /// The linear-time engine where the pattern allows it (no lookarounds or backreferences),
    /// the backtracking interpreter otherwise, both with a timeout. Not RegexOptions.Compiled:
    /// emitting IL for each rule cost more start-up (about 0.6 s for a root filesystem scan)
    /// than it saved on keyword-sized windows.
    /// </summary>
    internal static Regex CompilePattern(string pattern) => CompileLinear(pattern) ?? new Regex(pattern, Options, MatchTimeout);

    /// <summary>
    /// The linear-time engine for a pattern, or null when the pattern needs backtracking. Building it costs milliseconds
    /// per rule and its first matches build its automaton, which is why a rule starts on the interpreter.
    /// </summary>
    private static Regex? CompileLinear(string pattern)
    {
        try
        {
            return new Regex(pattern, Options | RegexOptions.NonBacktracking, MatchTimeout);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
