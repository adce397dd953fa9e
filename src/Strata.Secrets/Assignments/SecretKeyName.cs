namespace Strata.Secrets.Assignments;

using System.Text.RegularExpressions;

/// <summary>What a key's name says about its value, read word by word (<c>DB_PASSWORD</c>, <c>apiKey</c>, <c>x-auth-token</c>).</summary>
public enum SecretKeyKind
{
    /// <summary>Not a name that holds a secret: <c>password_file</c>, <c>csrf_token</c>, <c>tokenizer</c>, <c>public_key</c>.</summary>
    None,

    /// <summary>A password: short values are plausible.</summary>
    Password,

    /// <summary>A secret, token, key or credential: machine-made, longer values.</summary>
    Credential,
}

/// <summary>Reads a key's name as words and tells whether it names a secret.</summary>
public static partial class SecretKeyName
{
    /// <summary>Compound words that end in "pass" and mean a password (<c>DBPASS</c>, <c>storepass</c>).</summary>
    private static readonly HashSet<string> PassCompounds = new(StringComparer.Ordinal)
    {
        "pass", "dbpass", "keypass", "storepass", "adminpass", "rootpass", "userpass", "mysqlpass", "sqlpass", "pgpass",
        "ldappass", "smtppass", "mailpass", "ftppass", "sshpass", "proxypass", "bindpass", "masterpass", "apppass", "apipass",
        "webpass", "redispass", "vncpass", "mqpass", "authpass", "loginpass",
    };

    /// <summary>Words before KEY that make it a credential (<c>api_key</c>, <c>PRIVATE_KEY</c>, <c>signingKey</c>).</summary>
    private static readonly HashSet<string> KeyQualifiers = new(StringComparer.Ordinal)
    {
        "api", "access", "auth", "service", "account", "db", "database", "priv", "private", "client", "secret", "signing", "sign",
        "encryption", "encrypt", "crypt", "crypto", "cipher", "master", "app", "application", "license", "licence", "consumer",
        "session", "cookie", "hmac", "jwt", "shared", "root", "admin", "deploy", "subscription", "storage", "sas", "webhook",
        "ingest", "integration", "partner", "merchant", "developer", "dev", "prod", "production", "live", "write", "read",
        "management", "mgmt", "instrumentation", "psk", "wpa", "aes", "des", "rsa", "ssh", "tls", "ssl",
    };

    /// <summary>Qualifiers that turn KEY into something public or structural (<c>public_key</c>, <c>foreignKey</c>, <c>cache_key</c>).</summary>
    private static readonly HashSet<string> PublicWords = new(StringComparer.Ordinal)
    {
        "public", "pub", "publishable", "publish", "gpg", "pgp", "foreign", "sort", "partition", "cache", "idempotency",
        "routing", "object", "hot", "keyboard", "map", "dict", "hash", "lookup", "index", "schema", "sequence", "natural",
        "bucket", "issuer",
    };

    /// <summary>
    /// Words after the secret word that make the name describe a secret rather than hold one (<c>PASSWORD_FILE</c>,
    /// <c>token_url</c>, <c>secretName</c>, <c>api_key_header</c>).
    /// </summary>
    private static readonly HashSet<string> DescriptiveWords = new(StringComparer.Ordinal)
    {
        "file", "files", "path", "paths", "dir", "directory", "folder", "url", "uri", "urls", "host", "hostname", "port",
        "endpoint", "server", "name", "names", "user", "username", "login", "id", "ids", "identifier", "uuid", "kid", "len",
        "length", "min", "max", "size", "count", "limit", "type", "types", "kind", "mode", "method", "methods", "algorithm",
        "algorithms", "alg", "algo", "format", "encoding", "version", "enabled", "enable", "disabled", "disable", "required",
        "optional", "flag", "flags", "policy", "policies", "regex", "regexp", "pattern", "rule", "rules", "strength",
        "complexity", "check", "checks", "checker", "validation", "validator", "valid", "validity", "expiry", "expires",
        "expiration", "expire", "expired", "expiresat", "ttl", "lifetime", "age", "timeout", "interval", "duration", "period",
        "rotation", "reset", "change", "changed", "update", "updated", "hash", "hashed", "hasher", "hashes", "digest", "salt", "rounds",
        "iterations", "cost", "prompt", "label", "text", "message", "msg", "hint", "help", "title", "description", "desc",
        "placeholder", "tooltip", "caption", "field", "fields", "input", "param", "params", "parameter", "arg", "args", "option",
        "options", "env", "var", "vars", "variable", "ref", "reference", "source", "provider", "manager", "store", "backend",
        "helper", "handler", "callback", "command", "cmd", "script", "plugin", "module", "class", "header", "headers", "prefix",
        "suffix", "separator", "delimiter", "location", "region", "scope", "scopes", "audience", "issuer", "usage", "index",
        "column", "selector", "xpath", "attribute", "attr", "arn", "keyring", "keyserver", "fingerprint", "sock", "socket",
        "mount", "volume", "checksum", "sha", "sha1", "sha256", "md5", "event", "events", "state", "status", "error", "errors",
        "exception", "response", "request", "result", "reason", "mask", "masked", "visible", "visibility", "hidden", "show",
        "display", "icon", "button", "btn", "link", "page", "form", "view", "screen", "dialog", "modal", "route", "spec",
        "schema", "generator", "factory", "builder", "service", "client", "api", "lock", "mutex", "pool", "queue", "cache",
        "table", "db", "key", "keys", "map", "list", "set", "dict", "range", "offset", "position", "pos", "start", "end", "line",
        "char", "chars", "character", "characters", "bytes", "bits", "width", "height", "color", "colour", "style", "css",
        "template", "tmpl", "example", "sample", "exists", "present", "provided", "given", "matches", "mismatch", "match",
        "confirmation", "needed", "reuse", "history", "refs", "annotation", "annotations", "property", "properties", "prop",
        "props", "config", "configuration", "settings", "setting", "section", "group", "namespace", "tag", "tags", "re", "rx",
    };

    /// <summary>Words anywhere in the name that say it is about a secret, not one (<c>show_password</c>, <c>csrf_token</c>, <c>next_token</c>).</summary>
    private static readonly HashSet<string> DescribingWords = new(StringComparer.Ordinal)
    {
        "no", "empty", "show", "hide", "forgot", "forgotten", "reset", "change", "update", "validate", "verify", "check",
        "require", "requires", "required", "has", "is", "use", "uses", "enable", "enabled", "disable", "allow", "min", "max",
        "input", "prompt", "ask", "enter", "get", "fetch", "read", "load", "generate", "hash", "hashed", "salted", "invalid",
        "wrong", "incorrect", "bad", "missing", "csrf", "xsrf", "authenticity", "non", "not", "unused", "next", "page", "continuation", "pagination", "cursor", "sync",
        "existing", "num", "number", "total", "message", "msg", "error", "label", "text", "help", "title", "i18n", "lang",
        "placeholder", "regex", "pattern", "format", "fmt", "fake", "dummy", "example", "sample", "cancellation", "cancel",
        "lexer", "parser", "syntax", "grammar", "expect", "expected", "mock", "stub", "last", "previous", "prev", "toggle",
        "strength", "length", "policy", "hint", "field", "type", "class", "name", "id", "public", "pub", "publishable", "to", "for", "of", "in", "from",
    };

    /// <summary>What the key names, and so how long its value must be to be worth reporting.</summary>
    public static SecretKeyKind Classify(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var words = Words(key);
        var secretAt = -1;
        var kind = SecretKeyKind.None;
        for (var i = 0; i < words.Count; i++)
        {
            if (WordKind(words, i) is var found and not SecretKeyKind.None)
            {
                secretAt = i;
                kind = found;
            }
        }

        if (secretAt < 0)
        {
            return SecretKeyKind.None;
        }

        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (i > secretAt && DescriptiveWords.Contains(word))
            {
                return SecretKeyKind.None;
            }

            if (i < secretAt && DescribingWords.Contains(word))
            {
                return SecretKeyKind.None;
            }
        }

        return kind;
    }

    /// <summary>The lower-case words of a name: split at <c>_ - . :</c>, at camelCase humps, and at brackets and sigils.</summary>
    public static IReadOnlyList<string> Words(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var spaced = CamelBoundary().Replace(key, "$1 $2");
        spaced = AcronymBoundary().Replace(spaced, "$1 $2");
        return spaced.ToLowerInvariant().Split([' ', '_', '-', '.', ':', '$', '@', '[', ']', '"', '\'', '/'], StringSplitOptions.RemoveEmptyEntries);
    }

    private static SecretKeyKind WordKind(IReadOnlyList<string> words, int i)
    {
        var word = words[i];
        if (word.Contains("password", StringComparison.Ordinal) || word.Contains("passwd", StringComparison.Ordinal)
            || word.Contains("passphrase", StringComparison.Ordinal) || word.Contains("contrase", StringComparison.Ordinal))
        {
            return word is "passwordless" or "passwords" ? SecretKeyKind.None : SecretKeyKind.Password;
        }

        // A lone PWD is the shell's (and Perl's, and PHP's) working directory; DB_PWD is a password.
        if (PassCompounds.Contains(word) || (word is "pwd" && words.Count > 1) || (word.EndsWith("pwd", StringComparison.Ordinal) && word.Length is > 3 and <= 10))
        {
            return SecretKeyKind.Password;
        }

        if (word.Contains("secret", StringComparison.Ordinal))
        {
            return word.StartsWith("secretar", StringComparison.Ordinal) ? SecretKeyKind.None : SecretKeyKind.Credential;
        }

        if ((word.EndsWith("token", StringComparison.Ordinal) || (word.EndsWith("tokens", StringComparison.Ordinal) && word != "tokens")) && word != "jsonwebtoken")
        {
            return SecretKeyKind.Credential;
        }

        if (word is "credential" or "credentials" or "creds" or "cred" or "auth" || (word.EndsWith("credentials", StringComparison.Ordinal) && word.Length <= 20))
        {
            return SecretKeyKind.Credential;
        }

        if (word is "key" or "keys")
        {
            return i > 0 && KeyQualifiers.Contains(words[i - 1]) && !words.Take(i).Any(PublicWords.Contains) ? SecretKeyKind.Credential : SecretKeyKind.None;
        }

        if (word.EndsWith("key", StringComparison.Ordinal) && word.Length > 3)
        {
            var qualifier = word[..^3];
            return KeyQualifiers.Contains(qualifier) ? SecretKeyKind.Credential : SecretKeyKind.None;
        }

        return SecretKeyKind.None;
    }

    [GeneratedRegex("([a-z0-9])([A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex CamelBoundary();

    [GeneratedRegex("([A-Z])([A-Z][a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex AcronymBoundary();
}
