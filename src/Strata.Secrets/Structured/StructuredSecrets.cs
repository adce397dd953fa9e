namespace Strata.Secrets.Structured;

using System.Text;
using Strata.Core.Findings;

/// <summary>A secret found by reading a structure, located by offsets into the buffer the scanner read.</summary>
internal readonly record struct StructuredMatch(SecretRule Rule, int Start, int End, Evidence Evidence, string? JsonPath);

/// <summary>
/// Secrets a regex over the text cannot see, because they are encoded inside it: PEM blocks written in base64, and
/// the values of Kubernetes Secret objects (base64 <c>data</c>, <c>stringData</c>). What is decoded is scanned again
/// by the same scanner (to <see cref="MaxDepth"/> levels), and each of its matches is reported at the encoded value,
/// so precedence and the per-file bookkeeping apply as to any match. Decoded values never leave this class except as
/// redacted evidence.
/// </summary>
internal sealed class StructuredSecrets(SecretScanner scanner)
{
    /// <summary>Decoding inside decoded text stops here (a base64 key inside a Secret's value is depth 2).</summary>
    public const int MaxDepth = 2;

    public const string Pkcs12UnprotectedRule = "SEC-PKCS12-UNPROTECTED";
    public const string Pkcs12ProtectedRule = "SEC-PKCS12-PROTECTED";

    /// <summary>
    /// The structured matches of one buffer. <paramref name="wholeInput"/> says the buffer is the whole file or string,
    /// which whole-document structures (Kubernetes objects) need.
    /// </summary>
    /// <returns>The matches, or null when there are none (the common case costs no allocation).</returns>
    public List<StructuredMatch>? Find(ReadOnlySpan<byte> buffer, int owned, bool wholeInput, int depth, string displayPath)
    {
        if (depth >= MaxDepth)
        {
            return null;
        }

        List<StructuredMatch>? found = null;
        if (Base64Pem.MayHold(buffer))
        {
            foreach (var blob in Base64Pem.Find(buffer, owned))
            {
                foreach (var match in scanner.ScanNested(blob.Pem, displayPath, depth + 1))
                {
                    (found ??= []).Add(new StructuredMatch(match.Rule, blob.Start, blob.End, match.Evidence, null));
                }
            }
        }

        if (wholeInput && buffer.Length <= KubernetesSecretValues.MaxTextBytes && KubernetesSecretValues.MayHold(buffer))
        {
            AddKubernetesSecrets(buffer, depth, displayPath, found ??= []);
        }

        return found;
    }

    /// <summary>The match for a key store, or null when it holds no private key (or is not one, or its rule is disabled).</summary>
    public SecretMatch? FindPkcs12(ReadOnlyMemory<byte> data, string displayPath, object? context)
    {
        var rule = RuleFor(Pkcs12Store.Classify(data));
        return rule is null ? null : new SecretMatch
        {
            Rule = rule,
            Path = displayPath,
            Line = 1,
            Column = 1,
            Evidence = Evidence.Plain(rule.Id == Pkcs12UnprotectedRule ? "PKCS#12 key store, opens without a password" : "PKCS#12 key store, password-protected") with { Kind = EvidenceKind.Structured },
            Context = context,
            Severity = rule.Severity,
        };
    }

    private SecretRule? RuleFor(Pkcs12Protection protection) => protection switch
    {
        Pkcs12Protection.Unprotected => scanner.RuleById(Pkcs12UnprotectedRule),
        Pkcs12Protection.Protected => scanner.RuleById(Pkcs12ProtectedRule),
        _ => null,
    };

    private void AddKubernetesSecrets(ReadOnlySpan<byte> buffer, int depth, string displayPath, List<StructuredMatch> found)
    {
        // Offsets must be those of the bytes: ASCII text maps one to one, other text is decoded and mapped back.
        var ascii = System.Text.Ascii.IsValid(buffer);
        var text = ascii ? Encoding.Latin1.GetString(buffer) : Encoding.UTF8.GetString(buffer);
        var values = KubernetesSecretValues.Find(text);
        if (values.Count == 0)
        {
            return;
        }

        var offsets = ascii ? null : ByteOffsets(text, values.SelectMany(v => new[] { v.KeyIndex, v.ValueEnd }));
        foreach (var value in values)
        {
            var start = offsets?[value.KeyIndex] ?? value.KeyIndex;
            var end = offsets?[value.ValueEnd] ?? value.ValueEnd;
            if (value.Binary is { } binary)
            {
                if (RuleFor(Pkcs12Store.Classify(binary)) is { } rule)
                {
                    found.Add(new StructuredMatch(rule, start, end, Evidence.Plain("PKCS#12 key store in a Secret value"), value.JsonPath));
                }

                continue;
            }

            // Alone, the value is what provider and key rules see; as `key: value`, the rules keyed on a name
            // (password, token…) see it too. One report per rule and value.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var matches = scanner.ScanNested(value.Text!, displayPath, depth + 1);
            if (!value.Text!.Contains('\n', StringComparison.Ordinal))
            {
                matches = [.. matches, .. scanner.ScanNested(value.Key + ": " + value.Text, displayPath, depth + 1)];
            }

            foreach (var match in matches)
            {
                if (seen.Add(match.Rule.Id))
                {
                    found.Add(new StructuredMatch(match.Rule, start, end, match.Evidence, value.JsonPath));
                }
            }
        }
    }

    /// <summary>The UTF-8 byte offset of each of <paramref name="indexes"/> (character indexes of <paramref name="text"/>).</summary>
    private static Dictionary<int, int> ByteOffsets(string text, IEnumerable<int> indexes)
    {
        var result = new Dictionary<int, int>();
        var bytes = 0;
        var at = 0;
        foreach (var index in indexes.Distinct().Order())
        {
            var stop = Math.Min(index, text.Length);
            bytes += Encoding.UTF8.GetByteCount(text.AsSpan(at, stop - at));
            at = stop;
            result[index] = bytes;
        }

        return result;
    }
}
