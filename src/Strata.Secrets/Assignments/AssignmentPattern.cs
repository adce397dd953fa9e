namespace Strata.Secrets.Assignments;

using System.Text;
using System.Text.RegularExpressions;
using Strata.Core;

/// <summary>
/// The regex fragments a secret rule writes as <c>(?&amp;name)</c> (the notation PCRE uses to call a named
/// subpattern, which .NET lacks): the ways a key is bound to its value across the syntaxes that hold secrets
/// (env files, YAML, JSON, INI, TOML, .properties, XML, Makefiles, shell, Go, PHP, Java, Kotlin, C#, Python …),
/// written once so that every rule keyed by a name reads them all alike.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>(?&amp;assign)</c>: what stands between a key and a value of a specific shape: a closing quote or
/// bracket, a type (<c>var apiKey string =</c>, <c>val token: String =</c>), an operator (<c>=</c>, <c>:</c>,
/// <c>:=</c>, <c>::=</c>, <c>:::=</c>, <c>?=</c>, <c>+=</c>, <c>.=</c>, <c>=&gt;</c>, <c>,</c> of
/// <c>setProperty("KEY", "…")</c>, <c>&gt;</c> of <c>&lt;key&gt;…</c>), spaces and an opening quote.
/// Permissive: the rule's own secret pattern is what keeps it precise.</item>
/// <item><c>(?&amp;keyword-assignment:NAMES)</c>: a whole assignment of a secret-named key, NAMES being an
/// alternation of the words that make a name secret (<c>password|passwd</c>). It captures the key in three parts
/// (<c>kp</c> before the word, <c>kw</c>, <c>ks</c> after it), <c>op</c>, <c>d</c> (the value's quote), <c>pre</c> (a string prefix such as Python's <c>f</c>), <c>xml</c>
/// (the value is XML text), <c>secret</c> and <c>tail</c> (closing brackets after an unquoted value), which
/// <see cref="KeywordAssignment"/> judges.</item>
/// </list>
/// </remarks>
public static partial class AssignmentPattern
{
    /// <summary>Between a key and a value of a known shape (no groups).</summary>
    internal const string Assign =
        """(?:\\?["'`])?\]?(?:[ \t]*:[ \t]*&?[A-Za-z_][A-Za-z0-9_.<>?\[\]]{0,40}[ \t]*=|[ \t]+[A-Za-z_][A-Za-z0-9_.<>\[\]]{0,40}[ \t]*=|[ \t]*(?::{1,3}=|[?+.!]=|\?\?=|\|\|=|={1,3}>?|:|,|>|<-))[ \t]*(?:\r?\n[ \t]*)?[@]?(?:\\?["'`])?""";

    /// <summary>A quoted value: double, single or back quotes, a JSON-escaped quote, with an optional string prefix.</summary>
    private const string Quoted =
        """(?:(?<pre>[@rRbBuUfF]{0,2})(?<d>")(?<secret>(?:[^"\\\r\n]|\\[^\r\n]){1,256})"|(?<pre>[@rRbBuUfF]{0,2})(?<d>')(?<secret>(?:[^'\\\r\n]|\\[^\r\n]){1,256})'|(?<d>`)(?<secret>[^`\r\n]{1,256})`|\\(?<d>")(?<secret>[^"\\\r\n]{1,256})\\")""";

    /// <summary>
    /// An unquoted value: up to a space, quote, comma, semicolon or backslash (JSON's <c>\n</c>), not starting with
    /// <c>= &gt; : /</c> (the rest of an operator, a path) nor ending in a closing bracket or a full stop; those that
    /// follow are <c>tail</c>, so that <c>${VAR}</c> and <c>f()</c> are still seen whole.
    /// </summary>
    private const string Unquoted = """(?<secret>[^\s"'`,;\\=>:/](?:[^\s"'`,;\\]{0,254}[^\s"'`,;\\)\]}>.])?)(?<tail>[)\]}>.]*)""";

    /// <summary>A quoted or an unquoted value.</summary>
    private const string Value = "(?:" + Quoted + "|" + Unquoted + ")";

    /// <summary>
    /// Between a secret-named key and its value (captured as <c>op</c>), with the value: the key's closing quote, array
    /// brackets, a type annotation (<c>: String =</c>, <c>string =</c>), an operator; a call (<c>setPassword("…")</c>)
    /// and a bare space (<c>PASSWORD '…'</c> in SQL, Groovy) take quoted values only.
    /// </summary>
    private const string OperatorAndValue =
        """(?:\\?["'`])?\]?(?:\[[0-9]{0,4}\])?(?:[ \t]*:[ \t]*&?[A-Za-z_][A-Za-z0-9_.<>?\[\]]{0,40}[ \t]*(?<op>=)|[ \t]+[A-Za-z_][A-Za-z0-9_.<>\[\]]{0,40}[ \t]*(?<op>=)|[ \t]*(?<op>:{1,3}=|[?+.]=|\?\?=|\|\|=|!==?|={1,3}>?|<-|:))[ \t]*"""
        + Value
        + """|(?:\\?["'`])?\]?(?:\[[0-9]{0,4}\])?(?:(?<op>\()[ \t]*|[ \t]+(?<op>))"""
        + Quoted;

    private static readonly Regex Reference = new(
        """\(\?&(?<name>[a-z-]+)(?::(?<argument>(?:[^()]|\((?:[^()]|\([^()]*\))*\))*))?\)""",
        RegexOptions.CultureInvariant,
        SecretRule.MatchTimeout);

    /// <summary>The pattern with every <c>(?&amp;name)</c> replaced by its fragment.</summary>
    /// <exception cref="StrataException">A fragment name that does not exist.</exception>
    public static string Expand(string pattern, string where)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!pattern.Contains("(?&", StringComparison.Ordinal))
        {
            return pattern;
        }

        return Reference.Replace(pattern, m =>
        {
            var argument = m.Groups["argument"];
            return (m.Groups["name"].Value, argument.Success) switch
            {
                ("assign", false) => "(?:" + Assign + ")",
                ("keyword-assignment", true) when argument.Length > 0 => KeywordAssignmentPattern(argument.Value),
                var (name, _) => throw StrataException.BadInput($"{where}: unknown fragment (?&{name}…): the regex may use (?&assign) and (?&keyword-assignment:NAMES)."),
            };
        });
    }

    /// <summary>
    /// Every form in which a name holding one of <paramref name="names"/> is bound to a value. The pattern starts with
    /// the secret word itself and only then looks behind it for the rest of the name (<c>kp</c>), so that the engine's
    /// literal prefix search jumps from one secret word to the next rather than trying a lookbehind at every character
    /// of the window.
    /// </summary>
    private static string KeywordAssignmentPattern(string names)
    {
        var xmlText = """(?<xml>)(?<secret>[^<>\r\n]{1,256}?)""";
        return new StringBuilder()
            .Append("""(?<kw>""").Append(names).Append(""")(?<=(?<![A-Za-z0-9_.$@:-])(?<kp>[$@]{0,2}[A-Za-z0-9_.-]{0,40}?)\k<kw>)(?<ks>(?>(?:[A-Za-z0-9_-]|\.(?!=)){0,24}))(?:""")

            // "value" == password (a comparison against a literal, written backwards).
            .Append("""(?<=(?:(?<d>")(?<secret>[^"\r\n]{1,64})"|(?<d>')(?<secret>[^'\r\n]{1,64})')[ \t]*(?<op>[!=]==?)[ \t]*\k<kp>\k<kw>\k<ks>)(?![A-Za-z0-9_.-])""")

            // setProperty("API_TOKEN", "…"), define('DB_PASSWORD', '…'), getenv("TOKEN", "…").
            .Append("""|["'][ \t]*(?<op>,)[ \t]*""").Append(Quoted)

            // <password>…</password>, <apiKey>\n  …\n</apiKey>, <add key="ApiKey" value="…"/>, <entry key="token">…</entry>,
            // <name>db.password</name><value>…</value>.
            .Append("""|(?<=<[A-Za-z0-9_.:-]{1,80})(?:[ \t][^<>]{0,200})?(?<op>>)[ \t\r\n]{0,64}""").Append(xmlText).Append("""[ \t\r\n]{0,64}</""")
            .Append("""|(?<=\b(?:key|name)[ \t]*=[ \t]*"[A-Za-z0-9_.:-]{1,80})"[^<>]{0,120}?\bvalue[ \t]*(?<op>=)[ \t]*(?<xml>)"(?<secret>[^"\r\n]{1,256})["]""")
            .Append("""|(?<=\b(?:key|name)[ \t]*=[ \t]*"[A-Za-z0-9_.:-]{1,80})"[^<>]{0,100}?(?<op>>)[ \t]*""").Append(xmlText).Append("""[ \t]*</""")
            .Append("""|(?<=<name>[ \t]*[A-Za-z0-9_.:-]{1,80})[ \t]*</name>\s{0,64}<value>(?<op>)[ \t]*""").Append(xmlText).Append("""[ \t]*</value>""")

            // key = value in every other syntax.
            .Append('|').Append(OperatorAndValue)
            .Append(')')
            .ToString();
    }
}
