namespace Strata.Secrets.Assignments;

using System.Text.RegularExpressions;

/// <summary>
/// Keyword and entropy detection, as detect-secrets' KeywordDetector does it: a secret-named key bound to a value that
/// is either high-entropy or a literal no filter explains away. The filters: names that describe a secret rather than
/// hold one; placeholders and templates (<c>${…}</c>, <c>{{ … }}</c>, <c>&lt;…&gt;</c>, <c>%(x)s</c>, <c>#{…}</c>);
/// references (identifiers, member access, calls, format strings); values that cannot be secrets (switches, short
/// numbers, versions, paths, URLs without credentials, addresses); prose; and sequences a keyboard or alphabet types.
/// </summary>
public static partial class KeywordAssignment
{
    /// <summary>
    /// Shannon entropy (bits per character) a value needs in an installed runtime or package: more than hex can have,
    /// as much as a random base62 token of <see cref="PackageCodeLength"/> characters has.
    /// </summary>
    public const double PackageCodeEntropy = 4.0;

    /// <summary>Length a value needs in an installed runtime or package: longer than the sample values of RFCs and docs.</summary>
    public const int PackageCodeLength = 24;

    /// <summary>An ellipsis (U+2026) as the scanner sees UTF-8: one Latin-1 character per byte.</summary>
    private const string Ellipsis = "\u00e2\u0080\u00a6";

    private static readonly HashSet<string> NonSecretValues = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "none", "null", "nil", "undefined", "nan", "enabled", "disabled", "required",
        "optional", "string", "str", "int", "integer", "bool", "boolean", "object", "any", "bytes", "secret", "password", "token",
        "default", "auto", "random", "hidden", "masked", "redacted", "omitted", "removed", "unset", "notset", "not_set", "n/a",
        "bearer", "basic", "oauth", "oauth2", "jwt", "hmac", "sha256", "plain", "plaintext", "text", "md5", "scram-sha-256",
    };

    private static readonly string[] Sequences =
    [
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcbazyxwvutsrqponmlkjihgfedcba",
        "01234567890123456789", "98765432109876543210", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
        "0123456789abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz0123456789", "0123456789abcdef0123456789abcdef",
    ];

    /// <summary>Words of a message, not of a passphrase.</summary>
    private static readonly HashSet<string> MessageWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "your", "please", "enter", "must", "should", "cannot", "can't", "could", "invalid", "incorrect", "required", "not",
        "is", "are", "be", "was", "were", "to", "of", "for", "this", "that", "you", "will", "if", "when", "failed", "error", "confirm",
    };

    /// <summary>
    /// Whether a <c>(?&amp;keyword-assignment:…)</c> match is a secret. <paramref name="source"/> is the kind of file it
    /// stands in: program source needs a string literal (double-quoted in the C family; in Go an unquoted random token
    /// will do), installed packages a long, high-entropy one.
    /// </summary>
    public static bool Accept(Match match, AssignmentSource source)
    {
        ArgumentNullException.ThrowIfNull(match);
        var key = match.Groups["kp"].Value + match.Groups["kw"].Value + match.Groups["ks"].Value;
        var secret = match.Groups["secret"].Value;
        var op = match.Groups["op"];
        var xml = match.Groups["xml"].Success;
        var quote = match.Groups["d"].Success ? match.Groups["d"].Value : string.Empty;
        var prefix = match.Groups["pre"].Value;
        var delimited = xml || quote.Length > 0;

        var kind = SecretKeyName.Classify(key);
        if (kind == SecretKeyKind.None || !KeyFitsOperator(key, op.Success ? op.Value : string.Empty))
        {
            return false;
        }

        var value = secret.Trim().Replace("\\$", "$", StringComparison.Ordinal);

        // OpenSSL's password sources: env:VAR, file:PATH and fd:N say where the password is; pass:TEXT is it.
        if (OpenSslSource().Match(value) is { Success: true } passwordSource)
        {
            if (passwordSource.Groups["kind"].Value != "pass")
            {
                return false;
            }

            value = value[5..];
        }

        if (value.Length == 0)
        {
            return false;
        }

        // An unquoted value is judged with the brackets that close it: ${VAR}, get_password(), <placeholder>.
        var whole = value + match.Groups["tail"].Value;
        if (!delimited && (IsTemplate(whole) || IsExpression(whole) || "<{[(".Contains(value[0], StringComparison.Ordinal)))
        {
            return false;
        }

        if (value.StartsWith("-----BEGIN", StringComparison.Ordinal) || whole.Contains("...", StringComparison.Ordinal) || value.Contains(Ellipsis, StringComparison.Ordinal))
        {
            return false;
        }

        // A Python f-string interpolates; backquotes with spaces in them run a command (shell, Perl, Ruby, PHP).
        if (IsTemplate(value) || (prefix.Contains('f', StringComparison.OrdinalIgnoreCase) && value.Contains('{', StringComparison.Ordinal))
            || (quote == "`" && value.Any(char.IsWhiteSpace)))
        {
            return false;
        }

        if (IsNonSecretLiteral(value) || IsSequence(value) || SameAsKey(key, value) || EncodesPlaceholder(value))
        {
            return false;
        }

        if (value.Any(char.IsWhiteSpace) && (source == AssignmentSource.PackageCode || IsProse(value)))
        {
            return false;
        }

        return source switch
        {
            AssignmentSource.PackageCode => quote.Length > 0 && IsStrongToken(value, PackageCodeLength, PackageCodeEntropy, digitRequired: true),
            AssignmentSource.Code or AssignmentSource.CFamilyCode when !delimited => false,
            AssignmentSource.CFamilyCode when quote == "'" => false,
            AssignmentSource.GoCode when !delimited => IsStrongToken(value, 16, 3.5, digitRequired: false),
            _ => IsPlausibleSecret(value, kind, xml),
        };
    }

    /// <summary>
    /// A call binds a literal to the name only when the name sets it (<c>setPassword("…")</c>, <c>withToken("…")</c>) or
    /// constructs it (<c>std::string secret("…")</c>); any other call (<c>check_password("…")</c>) takes an argument.
    /// </summary>
    private static bool KeyFitsOperator(string key, string op)
    {
        if (op != "(")
        {
            return true;
        }

        var words = SecretKeyName.Words(key);
        return words.Count == 1 || words.Any(w => w is "set" or "with" or "use") || words[^1] == "assign";
    }

    /// <summary>Template and configuration references: the value is filled in elsewhere.</summary>
    internal static bool IsTemplate(string value) => Template().IsMatch(value);

    /// <summary>An unquoted value that is program text: a call, a member, an index, a variable, an operator expression.</summary>
    internal static bool IsExpression(string value) => Expression().IsMatch(value);

    private static bool IsNonSecretLiteral(string value)
    {
        if (NonSecretValues.Contains(value) || !value.Any(char.IsAsciiLetter) || value.Split('|').All(NonSecretValues.Contains))
        {
            return true;
        }

        return NonSecretShape().IsMatch(value);
    }

    /// <summary>
    /// A value that a keyboard or an alphabet typed: two characters at most, the whole of it a run (<c>abcdefgh</c>,
    /// <c>qwertyuiop</c>), or a run of six inside it (<c>dapi123456789…</c>), which a random value almost never holds.
    /// </summary>
    private static bool IsSequence(string value)
    {
        if (value.Distinct().Count() <= 2)
        {
            return true;
        }

        var lower = value.ToLowerInvariant();
        if (value.Length >= 4 && Sequences.Any(s => s.Contains(lower, StringComparison.Ordinal)))
        {
            return true;
        }

        for (var i = 0; i + 6 <= lower.Length; i++)
        {
            var run = lower.Substring(i, 6);
            if (Sequences.Any(s => s.Contains(run, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value repeats the key (<c>API_KEY = "api_key"</c>, <c>password: Password</c>): a field name or a label.</summary>
    private static bool SameAsKey(string key, string value)
    {
        static string Squash(string text) => new([.. text.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
        var squashedValue = Squash(value);
        var squashedKey = Squash(key);
        return squashedValue.Length > 0 && (squashedKey.EndsWith(squashedValue, StringComparison.Ordinal) || squashedValue.EndsWith(squashedKey, StringComparison.Ordinal));
    }

    /// <summary>
    /// Base64 of a documentation value: <c>user:password</c> or text whose password part is a placeholder or a sentence
    /// (<c>not my real password</c>). Base64 of anything else, or of binary, is judged as it stands.
    /// </summary>
    private static bool EncodesPlaceholder(string value)
    {
        if (value.Length < 8 || value.Length % 4 != 0 || !Base64().IsMatch(value))
        {
            return false;
        }

        var buffer = new byte[value.Length];
        if (!Convert.TryFromBase64String(value, buffer, out var written) || written == 0 || buffer.AsSpan(0, written).ContainsAnyExceptInRange((byte)0x20, (byte)0x7e))
        {
            return false;
        }

        var text = System.Text.Encoding.ASCII.GetString(buffer, 0, written);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var password = colon >= 0 ? text[(colon + 1)..] : text;
        return password.Length == 0 || SecretChecks.IsPlaceholder(password) || IsTemplate(password) || (password.Contains(' ', StringComparison.Ordinal) && IsProse(password));
    }

    /// <summary>
    /// A value with spaces that reads as a message (a sentence, a prompt, a label) rather than a passphrase: words of
    /// letters only, and many of them, or a full stop, a capital, a message word or a secret's name among them.
    /// </summary>
    private static bool IsProse(string value)
    {
        var words = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (!words.All(w => ProseWord().IsMatch(w)))
        {
            return false;
        }

        return words.Length > 6
            || ".:?!".Contains(value[^1], StringComparison.Ordinal)
            || SentenceCase().IsMatch(value)
            || words.Any(MessageWords.Contains)
            || words.Any(w => SecretKeyName.Classify(w) != SecretKeyKind.None);
    }

    /// <summary>
    /// A literal in configuration or a quoted one in code: long enough for its kind, with enough variety, and not an
    /// identifier (<c>api_key</c>, <c>secretName</c>, <c>MY_TOKEN</c>) unless XML gives it as text.
    /// </summary>
    private static bool IsPlausibleSecret(string value, SecretKeyKind kind, bool xml)
    {
        var minimum = kind == SecretKeyKind.Password ? 6 : 10;
        if (value.Length < minimum)
        {
            return false;
        }

        if (Identifier().IsMatch(value) && !(value.Length >= 16 && LowerRun().IsMatch(value)) && !(xml && MixedOrDigits().IsMatch(value)))
        {
            return false;
        }

        var entropy = SecretChecks.Entropy(value);
        var floor = value.Length < 12
            ? Math.Log2(value.Length) - 0.7
            : kind == SecretKeyKind.Password ? 2.5 : 3.0;
        return entropy >= floor;
    }

    /// <summary>What a machine-made secret looks like: long, varied, letters and digits (or symbols), no spaces.</summary>
    private static bool IsStrongToken(string value, int length, double entropy, bool digitRequired) =>
        value.Length >= length
        && !value.Any(char.IsWhiteSpace)
        && (value.Any(char.IsAsciiDigit) || (!digitRequired && value.Any(c => !char.IsAsciiLetterOrDigit(c))))
        && value.Any(char.IsAsciiLetter)
        && !Identifier().IsMatch(value)
        && SecretChecks.Entropy(value) >= entropy;

    [GeneratedRegex(
        """
        \$\{[A-Za-z_][\w.]*(?:[}:?\#%/|-]|$)               # ${VAR}, ${VAR:-default}, ${VAR cut short by a quote
        | \$\([A-Za-z_]                                     # $(VAR), $(shell …), $(cat /run/secrets/x)
        | \{\{[^{}]*\}\} | \{%[^{}]*%\}                      # {{ .Values.x }}, {% … %}
        | <%[\s\S]*%> | <\?[\s\S]*\?>                        # ERB, PHP
        | %\([\w.]+\)[sdrif] | %\{[\w.]+\}                   # %(name)s, %{name}
        | \#\{[^}]*\}                                        # Ruby interpolation
        | %env\([^)]*\)% | %[A-Za-z_][\w]*%                   # Symfony %env(X)%, Windows %VAR%
        | ^\$[A-Za-z_][\w]*$ | ^\$\{?\d+\}?$                  # $VAR, $1
        | ^@[A-Za-z_][\w.]*@$ | ^__[A-Z0-9_]+__$ | ^\#[A-Z_]+\#$      # @VAR@ (autoconf), __VAR__, #VAR#
        | ^\{[\w.:+/=-]*\}$ | ^<[^<>]*>$ | ^\[[^\[\]]*\]$ | ^\(\s*[\w.]*\s*\)$  # {name}, <name>, [name], (name)
        | ^(?:ENC|enc|ENCRYPTED|secret|env|vault|op|sm|ssm|awssm|azkv|gcpsm)\([^)]*\)$   # ENC(…) and similar wrappers
        | ^(?:vault|op|secret|ref|env|file|awssm|ssm|gcpsm|azkv|keyvault|sops|k8s|kubernetes)://
        | ^arn:aws[\w-]*: | ^projects/[^/]+/secrets/ | ^!(?:vault|Ref|Sub|GetAtt|ImportValue|env)\b
        | ^%[-+ #0]*[0-9.]*[sdvqxXfrbi]$ | (?<![A-Za-z0-9%])%[-+ #0]*[0-9]*[sdvq](?![A-Za-z0-9])   # printf formats
        | ^\$\{?[A-Za-z_]\w*\}?[/\\]                                  # $dir/private/key.pem
        | \\[(|<>.dwsDWS] | \(\?[:=!<] | \[\^                           # a regular expression: \(, \|, \d, (?:, [^
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Template();

    [GeneratedRegex(
        """
        ^[$@&*!~]?[A-Za-z_$][A-Za-z_$]*[0-9]*(?:(?:\.|->|::|\?\.)[A-Za-z_$][A-Za-z_$]*[0-9]*)+$   # a.b, a->b, A::B (words, not random runs)
        | ^[$@&*!~]?[A-Za-z_$][\w$]*(?:(?:\.|->|::|\?\.)[A-Za-z_$][\w$]*)*[(\[]  # a call or an index: f(, os.getenv(, env[
        | ^\(                                                         # a parenthesised expression
        | ^(?:new|await|yield|lambda|function|fn|func|this|self|static|typeof|sizeof|not|await)\b
        | ^[A-Za-z_$][\w$]*(?:\|\||&&|\?\?|\?:)                       # a || b, a ?? b
        | ^[*&^@][A-Za-z_]                                            # YAML alias, C and Pascal pointers, annotations
        | ^[A-Za-z_][A-Za-z_.-]*=                                     # another assignment: this one was empty
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Expression();

    [GeneratedRegex(
        """
        ^[+-]?[0-9][0-9_.,:]*[kKmMgGsShHdD]?$                              # numbers, durations
        | ^v?\d+(?:\.\d+)+(?:[-+][\w.]+)?$                                 # versions
        | ^(?:/|\./|\.\./|~/|[A-Za-z]:[\\/]|\\\\)                            # paths
        | ^[a-z0-9_.-]+(?:/[a-z0-9_.-]+)+/?$                                # relative paths, MIME types
        | ^[\w.-]+/[\w./-]*\.[a-z]{1,5}$                                    # relative paths to files
        | ^[a-z][a-z0-9+.-]*://(?![^/@\s]*:[^/@\s]*@)                       # URLs without credentials
        | ^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$                                     # e-mail addresses
        | ^[\w.-]+:\d{2,5}$                                                 # host:port
        | ^(?:\d{1,3}\.){3}\d{1,3}(?:/\d+)?$                                # IPv4 addresses
        | ^[a-z]+(?:[-.][a-z]+)+$                                           # kebab-case and dotted words
        | ^(?:application|text|image|audio|video)/
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex NonSecretShape();

    /// <summary>An identifier: snake_case, UPPER_SNAKE, camelCase, PascalCase or a single word, digits only at the end of a word.</summary>
    [GeneratedRegex("""^_*(?:[a-z]+[0-9]*(?:_[a-z]+[0-9]*)*|[A-Z]+[0-9]*(?:_[A-Z]+[0-9]*)*|[a-z]+(?:[A-Z][a-z]+)+[0-9]*|(?:[A-Z][a-z]+)+[0-9]*|[A-Za-z]+)_*$""", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    [GeneratedRegex("""^[("']?[A-Za-z][A-Za-z'-]*[)"',.:;?!]*$""", RegexOptions.CultureInvariant)]
    private static partial Regex ProseWord();

    [GeneratedRegex("^[a-z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex LowerRun();

    /// <summary>camelCase or with digits: what a password given as XML text looks like, where a plain word is a setting.</summary>
    [GeneratedRegex("[a-z][A-Z]|[0-9]", RegexOptions.CultureInvariant)]
    private static partial Regex MixedOrDigits();

    [GeneratedRegex("^[A-Za-z0-9+/]+={0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex Base64();

    [GeneratedRegex("^(?<kind>pass|env|file|fd):", RegexOptions.CultureInvariant)]
    private static partial Regex OpenSslSource();

    [GeneratedRegex("""^[A-Z][a-z']+(?:\s+[a-z'][a-z']*)+$""", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceCase();
}
