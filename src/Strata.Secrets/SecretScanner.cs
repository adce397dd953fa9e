namespace Strata.Secrets;

using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Strata.Secrets.Assignments;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Targets;
using Strata.Secrets.Structured;

/// <summary>What happened to one file.</summary>
public enum SecretFileDisposition
{
    Scanned,

    /// <summary>Scanned up to <see cref="SecretScanOptions.MaxFileBytes"/>; the rest was not read.</summary>
    Truncated,

    /// <summary>Looked binary (NUL bytes or mostly control characters in its first 8 KiB).</summary>
    Binary,

    /// <summary>Under an allowed path; not read.</summary>
    AllowedPath,
}

/// <summary>The matches of one file and what was done with it.</summary>
/// <param name="RegexTimeouts">Windows where a rule's regex hit its time limit and was abandoned; non-zero means the file may hide a secret.</param>
public sealed record SecretFileResult(string Path, IReadOnlyList<SecretMatch> Matches, SecretFileDisposition Disposition, long BytesScanned, int RegexTimeouts = 0);

/// <summary>
/// Finds secrets in files and strings. One Aho-Corasick pass over each chunk finds every rule
/// keyword; only rules whose keyword occurred run their regex, and only on a window around the
/// hit. Large inputs are read once, in chunks that overlap so a secret across a boundary is
/// found, and reported, exactly once. Thread-safe: one instance serves parallel scans.
/// </summary>
public sealed class SecretScanner
{
    private const int BinaryProbeBytes = 8192;

    /// <summary>Bytes carried from one chunk to the next: more than twice the largest rule window.</summary>
    private const int Overlap = (2 * SecretRuleReader.MaxWindow) + (16 * 1024);

    private static readonly Lazy<IReadOnlyList<SecretRule>> BuiltInRuleList = new(LoadBuiltInRules);

    /// <summary>Names of files that are text whatever their first bytes look like.</summary>
    private static readonly HashSet<string> KnownTextNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ".env", ".npmrc", ".yarnrc", ".yarnrc.yml", ".netrc", "_netrc", ".git-credentials", ".pypirc", ".pgpass", ".htpasswd",
        ".dockercfg", "config.json", "credentials", "kubeconfig", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
        "nuget.config", "settings.xml", "application.properties", "application.yml", "application.yaml",
    };

    private static readonly HashSet<string> KnownTextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pem", ".key", ".env", ".json", ".yaml", ".yml", ".properties", ".conf", ".cfg", ".ini", ".toml", ".xml", ".ppk", ".asc", ".tfvars",
    };

    private readonly SecretRule[] rules;
    private readonly int[][] rulesByKeyword;
    private readonly KeywordAutomaton automaton;
    private readonly PathAllowList allowedPaths;
    private readonly IReadOnlyList<Regex> allowRegexes;
    private readonly Dictionary<SecretRule, int> ruleIndex;
    private readonly StructuredSecrets structured;

    /// <summary>
    /// Builds a scanner of the built-in rules merged with <paramref name="config"/>. A run builds one, through
    /// <see cref="SecretScannerProvider"/>, and shares it.
    /// </summary>
    public SecretScanner(SecretScannerConfig? config = null, SecretScanOptions? options = null)
        : this(null, config ?? new SecretScannerConfig(), options ?? new SecretScanOptions())
    {
    }

    /// <param name="merged">The rules of <paramref name="config"/> when already merged by <see cref="SecretScannerConfig.Apply"/>; null to merge here.</param>
    internal SecretScanner(IReadOnlyList<SecretRule>? merged, SecretScannerConfig config, SecretScanOptions options)
    {
        Options = options;
        Options.Validate();
        rules = [.. merged ?? config.Apply(BuiltInRuleList.Value)];
        var keywords = new List<string>();
        var keywordIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var rulesPerKeyword = new List<List<int>>();
        for (var r = 0; r < rules.Length; r++)
        {
            foreach (var keyword in rules[r].Keywords)
            {
                if (!keywordIndex.TryGetValue(keyword, out var k))
                {
                    k = keywords.Count;
                    keywordIndex[keyword] = k;
                    keywords.Add(keyword);
                    rulesPerKeyword.Add([]);
                }

                rulesPerKeyword[k].Add(r);
            }
        }

        rulesByKeyword = [.. rulesPerKeyword.Select(l => l.ToArray())];
        automaton = new KeywordAutomaton(keywords);
        allowedPaths = new PathAllowList((Options.UseBuiltInPathAllowList ? PathAllowList.BuiltIn : []).Concat(config.AllowPaths));
        allowRegexes = config.AllowRegexes;
        ruleIndex = new Dictionary<SecretRule, int>(ReferenceEqualityComparer.Instance);
        for (var r = 0; r < rules.Length; r++)
        {
            ruleIndex[rules[r]] = r;
        }

        structured = new StructuredSecrets(this);
    }

    /// <summary>The rules of the embedded catalog (Rules/secret-rules.yaml).</summary>
    public static IReadOnlyList<SecretRule> BuiltInRules => BuiltInRuleList.Value;

    public SecretScanOptions Options { get; }

    /// <summary>The rules this scanner runs: the built-ins merged with the configuration.</summary>
    public IReadOnlyList<SecretRule> SecretRules => rules;

    /// <summary>The rules as catalog entries, with their examples, for <c>strata rules</c> and the docs.</summary>
    public IEnumerable<Rule> Rules => rules.Select(r => r.ToRule());

    /// <summary>True when files at this path are not scanned (built-in or configured allow paths).</summary>
    public bool IsPathAllowed(string displayPath) => allowedPaths.IsAllowed(displayPath);

    /// <summary>True when a value matches one of the configured allow regexes: it is never reported, by any secret rule.</summary>
    public bool IsValueAllowed(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return allowRegexes.Any(allow => allow.IsMatch(value));
    }

    /// <summary>
    /// Findings for the secrets written in a file read whole (a Dockerfile, a Kubernetes manifest), located by the
    /// target's name and the line; none when the file's path (<see cref="ScanTarget.Locator"/>) is allowed.
    /// </summary>
    public IEnumerable<Finding> FindInFile(string text, ScanTarget target, StackLayer layer)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(target);
        if (IsPathAllowed(target.Locator))
        {
            return [];
        }

        return ScanText(text, target.Name).Select(match =>
        {
            var finding = match.ToFinding(target.Name, layer);
            return finding with { Location = finding.Location with { File = target.Name, Path = null } };
        });
    }

    /// <summary>
    /// Scans a string that is not a file: an image ENV value, a history <c>created_by</c> line, a
    /// label. Path allow-lists do not apply; <paramref name="displayPath"/> names the source in results.
    /// </summary>
    public IReadOnlyList<SecretMatch> ScanText(string text, string displayPath, object? context = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(displayPath);
        return ScanText(text, displayPath, context, depth: 0);
    }

    /// <summary>Scans a stream read once, front to back; the caller owns and disposes it.</summary>
    public async Task<SecretFileResult> ScanAsync(Stream stream, string displayPath, object? context = null, CancellationToken cancellationToken = default) =>
        (await ReadAsync(stream, displayPath, context, cancellationToken)).Run();

    /// <summary>
    /// Reads a stream as <see cref="ScanAsync"/> does but leaves the keyword and regex work of a file that fits one chunk
    /// for <see cref="PendingSecretScan.Run"/>, which may run on another thread after the stream is closed: a walk hands
    /// it over and moves on. A binary file is read only as far as its probe; a larger file is scanned here, streaming.
    /// </summary>
    public async Task<PendingSecretScan> ReadAsync(Stream stream, string displayPath, object? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayPath);
        if (IsPathAllowed(displayPath))
        {
            return new PendingSecretScan(new SecretFileResult(displayPath, [], SecretFileDisposition.AllowedPath, 0));
        }

        var capacity = Options.ChunkBytes + Overlap;
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var handedOver = false;
        try
        {
            // The probe first: a binary file (most of a root filesystem's bytes) is not read past it.
            var fill = await FillAsync(stream, buffer, new Fill(0, 0, false, false), Math.Min(capacity, BinaryProbeBytes), cancellationToken);

            // A key store is binary: recognised by its first bytes, before binary files are skipped.
            if (Pkcs12Store.LooksLikePfx(buffer.AsSpan(0, Math.Min(fill.Filled, Pkcs12Store.HeadBytes))))
            {
                fill = await FillAsync(stream, buffer, fill, capacity, cancellationToken);
                return new PendingSecretScan(await ScanPkcs12Async(stream, buffer, fill.Filled, fill.EndOfInput, displayPath, context, cancellationToken));
            }

            if (!IsKnownTextName(displayPath) && LooksBinary(buffer.AsSpan(0, Math.Min(fill.Filled, BinaryProbeBytes))))
            {
                return new PendingSecretScan(new SecretFileResult(displayPath, [], SecretFileDisposition.Binary, Math.Min(fill.Filled, BinaryProbeBytes)));
            }

            fill = await FillAsync(stream, buffer, fill, capacity, cancellationToken);
            if (fill.EndOfInput)
            {
                // The whole input in one chunk: scanned later, from this buffer.
                handedOver = true;
                return new PendingSecretScan(this, buffer, fill, displayPath, context);
            }

            var state = new FileState(this, displayPath, context);

            while (true)
            {
                var owned = fill.EndOfInput ? fill.Filled : fill.Filled - Overlap;
                ProcessBuffer(buffer, fill.Filled, owned, state, wholeInput: false, depth: 0);
                if (fill.EndOfInput)
                {
                    break;
                }

                state.Advance(buffer.AsSpan(0, owned));
                buffer.AsSpan(owned, fill.Filled - owned).CopyTo(buffer);
                fill = await FillAsync(stream, buffer, fill with { Filled = fill.Filled - owned }, capacity, cancellationToken);
            }

            return new PendingSecretScan(new SecretFileResult(displayPath, state.Finish(), fill.Truncated ? SecretFileDisposition.Truncated : SecretFileDisposition.Scanned, fill.Total, state.Timeouts));
        }
        finally
        {
            if (!handedOver)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Scans a file on disk, shown as <paramref name="displayPath"/>.</summary>
    public async Task<SecretFileResult> ScanFileAsync(string filePath, string displayPath, object? context = null, CancellationToken cancellationToken = default)
    {
        if (IsPathAllowed(displayPath))
        {
            return new SecretFileResult(displayPath, [], SecretFileDisposition.AllowedPath, 0);
        }

        var stream = new FileStream(filePath, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite, BufferSize = 0, Options = FileOptions.SequentialScan });
        await using (stream)
        {
            return await ScanAsync(stream, displayPath, context, cancellationToken);
        }
    }

    /// <summary>Scans text found decoded inside other text (a base64 value, a Secret's data) at <paramref name="depth"/> levels down.</summary>
    internal IReadOnlyList<SecretMatch> ScanNested(string text, string displayPath, int depth) => ScanText(text, displayPath, null, depth);

    /// <summary>The rule of this scanner with that ID, or null when the configuration disabled it.</summary>
    internal SecretRule? RuleById(string id) => Array.Find(rules, r => r.Id == id);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static bool LooksBinary(ReadOnlySpan<byte> probe)
    {
        if (probe.Contains((byte)0))
        {
            return true;
        }

        var control = 0;
        foreach (var b in probe)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0c or 0x1b or 0x08))
            {
                control++;
            }
        }

        return control * 10 > probe.Length;
    }

    private static bool IsKnownTextName(string path)
    {
        var name = Path.GetFileName(path);
        return KnownTextNames.Contains(name) || KnownTextExtensions.Contains(Path.GetExtension(name)) || name.StartsWith(".env.", StringComparison.OrdinalIgnoreCase);
    }

    private static IReadOnlyList<SecretRule> LoadBuiltInRules()
    {
        const string Name = "Strata.Secrets.Rules.secret-rules.yaml";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Name)
            ?? throw new InvalidOperationException($"embedded resource {Name} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return SecretRuleReader.Parse(reader.ReadToEnd(), "secret-rules.yaml");
    }

    private IReadOnlyList<SecretMatch> ScanText(string text, string displayPath, object? context, int depth)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var state = new FileState(this, displayPath, context);
        ProcessBuffer(bytes, bytes.Length, bytes.Length, state, wholeInput: true, depth);
        return state.Finish();
    }

    /// <summary>Reads until <paramref name="upTo"/> bytes are buffered, the input ends, or <see cref="SecretScanOptions.MaxFileBytes"/> is reached.</summary>
    private async Task<Fill> FillAsync(Stream stream, byte[] buffer, Fill fill, int upTo, CancellationToken cancellationToken)
    {
        var (filled, total, endOfInput, truncated) = fill;
        while (!endOfInput && filled < upTo)
        {
            var want = (int)Math.Min(upTo - filled, Options.MaxFileBytes - total);
            if (want == 0)
            {
                truncated = true;
                endOfInput = true;
                break;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled, want), cancellationToken);
            if (read == 0)
            {
                endOfInput = true;
                break;
            }

            filled += read;
            total += read;
        }

        return new Fill(filled, total, endOfInput, truncated);
    }

    /// <summary>Runs the keyword pass and the windowed regexes over a whole input read into one pooled buffer, and returns the buffer.</summary>
    internal SecretFileResult ScanWhole(byte[] buffer, Fill fill, string displayPath, object? context)
    {
        try
        {
            var state = new FileState(this, displayPath, context);
            ProcessBuffer(buffer, fill.Filled, fill.Filled, state, wholeInput: true, depth: 0);
            return new SecretFileResult(state.Path, state.Finish(), fill.Truncated ? SecretFileDisposition.Truncated : SecretFileDisposition.Scanned, fill.Total, state.Timeouts);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The key store a stream starts with, read whole up to <see cref="Pkcs12Store.MaxBytes"/>.</summary>
    private async Task<SecretFileResult> ScanPkcs12Async(Stream stream, byte[] head, int filled, bool endOfInput, string displayPath, object? context, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream();
        data.Write(head, 0, filled);
        var tooLarge = false;
        if (!endOfInput)
        {
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (data.Length + read > Pkcs12Store.MaxBytes)
                {
                    tooLarge = true;
                    break;
                }

                data.Write(chunk, 0, read);
            }
        }

        var match = tooLarge ? null : structured.FindPkcs12(data.GetBuffer().AsMemory(0, (int)data.Length), displayPath, context);
        return new SecretFileResult(displayPath, match is null ? [] : [match], tooLarge ? SecretFileDisposition.Truncated : SecretFileDisposition.Scanned, data.Length);
    }

    /// <summary>
    /// Runs the keyword pass and the windowed regexes over one buffer, then the structured detection (decoded values);
    /// records matches that start before <paramref name="owned"/>.
    /// </summary>
    private void ProcessBuffer(byte[] buffer, int filled, int owned, FileState state, bool wholeInput, int depth)
    {
        var collector = new WindowCollector(this, filled);
        automaton.Scan(buffer.AsSpan(0, filled), ref collector);
        var windows = collector.Finish();
        var decoded = structured.Find(buffer.AsSpan(0, filled), owned, wholeInput, depth, state.Path);
        if (windows.Count == 0 && decoded is null)
        {
            return;
        }

        var raw = new List<RawMatch>();
        foreach (var match in decoded ?? [])
        {
            // Found by decoding the document's structure (a Secret's data, a key store, base64 of a key): at least structured.
            var kind = (EvidenceKind)Math.Max((int)rules[ruleIndex[match.Rule]].Evidence, (int)EvidenceKind.Structured);
            raw.Add(new RawMatch(ruleIndex[match.Rule], match.Start, match.Start, match.End, match.Evidence with { Kind = match.Evidence.IsRedacted ? kind : null }, match.JsonPath));
        }

        if (windows.Count == 0)
        {
            state.Add(raw, buffer.AsSpan(0, filled));
            return;
        }

        // Latin-1 maps each byte to one char, so string offsets are byte offsets.
        var text = Encoding.Latin1.GetString(buffer, 0, filled);
        foreach (var window in windows)
        {
            var rule = rules[window.Rule];
            var regex = rule.Regex;
            while (true)
            {
                try
                {
                    MatchWindow(rule, regex, window, text, owned, state, raw);
                    break;
                }
                catch (RegexMatchTimeoutException e) when (rule.SwitchToLinear(regex, e))
                {
                    // The backtracking engine went over its budget here: the rule runs linear from now on, this window
                    // again (matches already taken are deduplicated by position).
                    regex = rule.Regex;
                }
                catch (RegexMatchTimeoutException)
                {
                    // A pathological window even for the linear engine: give up on this rule here rather than stall the scan.
                    state.Timeouts++;
                    break;
                }
            }
        }

        state.Add(raw, buffer.AsSpan(0, filled));
    }

    private void MatchWindow(SecretRule rule, Regex regex, Window window, string text, int owned, FileState state, List<RawMatch> raw)
    {
        for (var m = regex.Match(text, window.Start, window.End - window.Start); m.Success; m = m.NextMatch())
        {
            if (m.Index >= owned)
            {
                break;
            }

            var secret = m.Groups["secret"];
            if (!secret.Success || secret.Length == 0 || SecretChecks.IsElidedAt(text, secret.Index + secret.Length) || InlineAllow.IsAllowed(text, secret.Index))
            {
                continue;
            }

            // A documented sample or public key is shown at INFO with the reason; it skips the placeholder
            // filters, which would drop it silently (AWS's samples end in EXAMPLE).
            var informational = PublicValues.Reason(rule, secret.Value, state.Path);
            if (informational is null ? !Accept(rule, m, secret.Value, state.Source) : !SecretChecks.Validate(rule.Validation, secret.Value) || IsValueAllowed(secret.Value))
            {
                continue;
            }

            raw.Add(new RawMatch(window.Rule, m.Index, secret.Index, secret.Index + secret.Length, Evidence.Secret(secret.Value, rule.Evidence), Informational: informational));
        }
    }

    private bool Accept(SecretRule rule, Match match, string secret, AssignmentSource source)
    {
        var matchText = match.Value;
        if (SecretChecks.IsPlaceholder(secret, rule.Evidence != EvidenceKind.KeywordEntropy))
        {
            return false;
        }

        foreach (var allow in rule.Allow)
        {
            if (allow.IsMatch(secret) || allow.IsMatch(matchText))
            {
                return false;
            }
        }

        if (IsValueAllowed(secret) || IsValueAllowed(matchText))
        {
            return false;
        }

        if (rule.EntropyFloor is double floor && SecretChecks.Entropy(secret) < floor)
        {
            return false;
        }

        return rule.Validation == SecretValidation.KeywordAssignment
            ? KeywordAssignment.Accept(match, source)
            : SecretChecks.Validate(rule.Validation, secret);
    }

    /// <param name="JsonPath">Where a structured match is in its document, when known.</param>
    /// <param name="Informational">Why the match is reported at INFO only (a documented sample, a public key), or null.</param>
    private readonly record struct RawMatch(int Rule, int Index, int SecretStart, int SecretEnd, Evidence Evidence, string? JsonPath = null, string? Informational = null);

    private readonly record struct Window(int Rule, int Start, int End);

    /// <param name="Filled">Bytes in the buffer.</param>
    /// <param name="Total">Bytes read from the input so far.</param>
    /// <param name="EndOfInput">Nothing more will be read: the input ended, or it was truncated.</param>
    /// <param name="Truncated">Reading stopped at <see cref="SecretScanOptions.MaxFileBytes"/>.</param>
    internal readonly record struct Fill(int Filled, long Total, bool EndOfInput, bool Truncated);

    /// <summary>Turns keyword hits into merged, per-rule windows as the automaton reports them.</summary>
    private struct WindowCollector : IKeywordSink
    {
        private readonly SecretScanner scanner;
        private readonly int length;
        private readonly int[] openStart;
        private readonly int[] openEnd;
        private readonly List<int> open;
        private readonly List<Window> closed;

        public WindowCollector(SecretScanner scanner, int length)
        {
            this.scanner = scanner;
            this.length = length;
            openStart = new int[scanner.rules.Length];
            openEnd = new int[scanner.rules.Length];
            Array.Fill(openEnd, -1);
            open = [];
            closed = [];
        }

        public readonly void OnHit(int keyword, int end)
        {
            var keywordStart = end - scanner.automaton.KeywordLengths[keyword];
            foreach (var r in scanner.rulesByKeyword[keyword])
            {
                var rule = scanner.rules[r];
                var start = Math.Max(0, keywordStart - rule.WindowBefore);
                var stop = (int)Math.Min(length, (long)end + rule.WindowAfter);
                if (openEnd[r] < 0)
                {
                    open.Add(r);
                    openStart[r] = start;
                    openEnd[r] = stop;
                }
                else if (start <= openEnd[r])
                {
                    openStart[r] = Math.Min(openStart[r], start);
                    openEnd[r] = Math.Max(openEnd[r], stop);
                }
                else
                {
                    closed.Add(new Window(r, openStart[r], openEnd[r]));
                    openStart[r] = start;
                    openEnd[r] = stop;
                }
            }
        }

        public readonly List<Window> Finish()
        {
            foreach (var r in open)
            {
                closed.Add(new Window(r, openStart[r], openEnd[r]));
            }

            return closed;
        }
    }

    /// <summary>Per-file bookkeeping: line numbers across chunks, deduplication, and precedence between overlapping matches.</summary>
    private sealed class FileState(SecretScanner scanner, string path, object? context)
    {
        public string Path => path;

        private readonly List<Candidate> candidates = [];
        private readonly HashSet<(int Rule, long Start)> seen = [];
        private long baseOffset;
        private int baseLine = 1;
        private long lastNewline = -1;

        public int Timeouts { get; set; }

        /// <summary>What kind of file this is, for the keyword rules: configuration, program source, or an installed package.</summary>
        public AssignmentSource Source { get; } = AssignmentSources.Of(path);

        public void Add(List<RawMatch> raw, ReadOnlySpan<byte> buffer)
        {
            // Lines and columns are those of the secret value itself, counted incrementally in order.
            raw.Sort((a, b) => a.SecretStart.CompareTo(b.SecretStart));
            var counted = 0;
            var lines = 0;
            var lastNewlineInBuffer = -1;
            foreach (var match in raw)
            {
                if (candidates.Count >= scanner.Options.MaxMatchesPerFile)
                {
                    return;
                }

                if (!seen.Add((match.Rule, baseOffset + match.Index)))
                {
                    continue;
                }

                var span = buffer[counted..match.SecretStart];
                lines += span.Count((byte)'\n');
                var last = span.LastIndexOf((byte)'\n');
                if (last >= 0)
                {
                    lastNewlineInBuffer = counted + last;
                }

                counted = match.SecretStart;
                var column = lastNewlineInBuffer >= 0
                    ? match.SecretStart - lastNewlineInBuffer
                    : (int)(baseOffset + match.SecretStart - lastNewline);
                var rule = scanner.rules[match.Rule];
                candidates.Add(new Candidate(
                    rule,
                    baseOffset + match.SecretStart,
                    baseOffset + match.SecretEnd,
                    baseLine + lines,
                    column,
                    match.Evidence,
                    match.JsonPath,
                    match.Informational));
            }
        }

        /// <summary>Moves past the first bytes of the buffer, which the next chunk no longer holds.</summary>
        public void Advance(ReadOnlySpan<byte> consumed)
        {
            baseLine += consumed.Count((byte)'\n');
            var last = consumed.LastIndexOf((byte)'\n');
            if (last >= 0)
            {
                lastNewline = baseOffset + last;
            }

            baseOffset += consumed.Length;
        }

        public IReadOnlyList<SecretMatch> Finish()
        {
            // Where matches overlap, the most specific rule (highest precedence) speaks for them.
            candidates.Sort((a, b) => a.Start.CompareTo(b.Start));
            var dropped = new bool[candidates.Count];
            for (var i = 0; i < candidates.Count; i++)
            {
                for (var j = i + 1; j < candidates.Count && candidates[j].Start < candidates[i].End; j++)
                {
                    var a = candidates[i].Rule.Precedence;
                    var b = candidates[j].Rule.Precedence;
                    if (a > b)
                    {
                        dropped[j] = true;
                    }
                    else if (b > a)
                    {
                        dropped[i] = true;
                    }
                    else if (candidates[i].Start == candidates[j].Start && candidates[i].End == candidates[j].End)
                    {
                        // Two rules of equal precedence on the same value: one report is enough.
                        dropped[string.CompareOrdinal(candidates[i].Rule.Id, candidates[j].Rule.Id) <= 0 ? j : i] = true;
                    }
                    else if (candidates[i].Rule == candidates[j].Rule)
                    {
                        // One rule on overlapping text (a value seen as written and as decoded): the first report speaks.
                        dropped[j] = true;
                    }
                }
            }

            var matches = new List<SecretMatch>();
            for (var i = 0; i < candidates.Count; i++)
            {
                if (!dropped[i])
                {
                    var c = candidates[i];
                    matches.Add(new SecretMatch
                    {
                        Rule = c.Rule,
                        Path = path,
                        Line = c.Line,
                        Column = c.Column,
                        Evidence = c.Evidence,
                        Context = context,
                        JsonPath = c.JsonPath,
                        Severity = c.Informational is null ? c.Rule.Severity : Severity.Info,
                        Note = c.Informational,
                    });
                }
            }

            return [.. matches.OrderBy(m => m.Line).ThenBy(m => m.Column).ThenBy(m => m.Rule.Id, StringComparer.Ordinal)];
        }

        private sealed record Candidate(SecretRule Rule, long Start, long End, int Line, int Column, Evidence Evidence, string? JsonPath, string? Informational);
    }
}
