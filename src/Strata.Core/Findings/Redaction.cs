namespace Strata.Core.Findings;

using System.Buffers;
using System.Globalization;
using System.Text;

/// <summary>
/// How a secret value is shown, everywhere: findings (<see cref="Evidence.Secret"/>), options, registry errors,
/// reports, and every message that quotes input (<see cref="Quote"/>). The one redaction function of the code base;
/// what counts as a secret (rules, names, masking of build text) is decided in Strata.Secrets, which applies it.
/// </summary>
public static class Redaction
{
    /// <summary>How much of an input a message quotes by default.</summary>
    public const int QuoteLength = 40;

    /// <summary>Characters that end a word of a quote: what never appears inside a credential.</summary>
    private const string WordBreaks = "'\"`<>()[]{},;:@|&=*\\";

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>Characters that split a word into parts (paths, host names, versions).</summary>
    private static readonly char[] PartBreaks = ['/', '.', '-'];

    /// <summary>
    /// Shows at most four leading characters (fewer for short values: never more than a quarter)
    /// followed by the value's length, e.g. <c>AKIA…(20 chars)</c>.
    /// </summary>
    public static string Redact(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var shown = Math.Min(4, value.Length / 4);
        return string.Concat(value.AsSpan(0, shown), "…(", value.Length.ToString(CultureInfo.InvariantCulture), " chars)");
    }

    /// <summary>
    /// A fragment of input as an error or warning message may quote it: words shaped like credentials (long runs that
    /// mix letters and digits, or upper and lower case, as random tokens and keys do) redacted, control characters
    /// replaced, and at most <paramref name="maxLength"/> characters. Every message that quotes what a user, a file or an
    /// image gave (an option value, a Dockerfile line, a YAML scalar, a tar entry name) quotes it through this, because
    /// that input may be a secret: a token pasted on the wrong line, a regex that is the secret itself.
    /// </summary>
    public static string Quote(string text, int maxLength = QuoteLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);

        // A quote never shows more than maxLength characters, so only a bounded head is looked at; a word cut there
        // is still long enough to be recognised.
        var cut = text.Length > maxLength * 4;
        var head = cut ? text[..(maxLength * 4)] : text;
        var quoted = new StringBuilder(head.Length);
        var start = 0;
        for (var i = 0; i <= head.Length; i++)
        {
            if (i < head.Length && !IsWordBreak(head[i]))
            {
                continue;
            }

            var word = head.AsSpan(start, i - start);
            if (IsDigestHex(head.AsSpan(0, start), word))
            {
                // A content digest (sha256:…) is an address, public by design: shown whole, as digests are everywhere.
                quoted.Append(word);
            }
            else
            {
                AppendWord(quoted, word);
            }
            if (i < head.Length)
            {
                quoted.Append(char.IsControl(head[i]) ? '?' : head[i]);
            }

            start = i + 1;
        }

        return quoted.Length > maxLength || cut ? string.Concat(quoted.ToString().AsSpan(0, Math.Min(maxLength, quoted.Length)), "…") : quoted.ToString();
    }

    private static bool IsDigestHex(ReadOnlySpan<char> before, ReadOnlySpan<char> word) =>
        word.Length > 0 && !word.ContainsAnyExcept(LowerHex)
        && (before.EndsWith("sha256:", StringComparison.OrdinalIgnoreCase) || before.EndsWith("sha384:", StringComparison.OrdinalIgnoreCase) || before.EndsWith("sha512:", StringComparison.OrdinalIgnoreCase));

    private static bool IsWordBreak(char c) => char.IsWhiteSpace(c) || char.IsControl(c) || WordBreaks.Contains(c, StringComparison.Ordinal);

    /// <summary>
    /// Appends a word, redacted from its first random-looking part on (the directories before it stay: a token in a path
    /// is told from where it is), or redacted whole when it is random-looking only as a whole.
    /// </summary>
    private static void AppendWord(StringBuilder quoted, ReadOnlySpan<char> word)
    {
        if (word.Length < 8)
        {
            quoted.Append(word);
            return;
        }

        var start = 0;
        for (var i = 0; i <= word.Length; i++)
        {
            if (i < word.Length && Array.IndexOf(PartBreaks, word[i]) < 0)
            {
                continue;
            }

            var shape = Shape.Of(word[start..i]);
            if ((shape.Length >= 12 && shape.LetterDigitChanges >= 3) || (shape.Length >= 16 && shape.IsMixedCase))
            {
                var kept = word[..start].LastIndexOf('/') + 1;
                quoted.Append(word[..kept]).Append(Redact(word[kept..].ToString()));
                return;
            }

            start = i + 1;
        }

        var whole = Shape.Of(word);

        // A key with '/' or '-' in it (base64, a UUID) splits into parts too short to tell; as one it is clear.
        quoted.Append(whole.Length >= 20 && whole.LetterDigitChanges >= 6 ? Redact(word.ToString()) : word);
    }

    /// <summary>
    /// How a run of characters alternates: letter to digit (or back) and lower to upper case (or back) between
    /// neighbours. Words and names change little (<c>Dockerfile2</c>, <c>x86_64</c>, <c>ImageConfig</c>); random
    /// tokens change often.
    /// </summary>
    private readonly record struct Shape(int Length, int LetterDigitChanges, int CaseChanges, int Upper, int Lower)
    {
        /// <summary>Upper and lower case about as often as each other, and changing often: random, not CamelCase.</summary>
        public bool IsMixedCase => Math.Min(Upper, Lower) * 10 >= (Upper + Lower) * 3 && CaseChanges * 4 >= Length;

        public static Shape Of(ReadOnlySpan<char> text)
        {
            int length = 0, letterDigit = 0, caseChanges = 0, upper = 0, lower = 0;
            var previous = '\0';
            foreach (var c in text)
            {
                if (Array.IndexOf(PartBreaks, c) >= 0)
                {
                    continue;
                }

                length++;
                upper += char.IsAsciiLetterUpper(c) ? 1 : 0;
                lower += char.IsAsciiLetterLower(c) ? 1 : 0;
                if (char.IsAsciiLetter(previous) && char.IsAsciiDigit(c) || char.IsAsciiDigit(previous) && char.IsAsciiLetter(c))
                {
                    letterDigit++;
                }
                else if (char.IsAsciiLetter(previous) && char.IsAsciiLetter(c) && char.IsAsciiLetterUpper(previous) != char.IsAsciiLetterUpper(c))
                {
                    caseChanges++;
                }

                previous = c;
            }

            return new Shape(length, letterDigit, caseChanges, upper, lower);
        }
    }
}
