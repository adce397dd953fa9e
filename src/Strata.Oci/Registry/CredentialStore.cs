namespace Strata.Oci.Registry;

using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;

/// <summary>What a credentials lookup found, and a note for error messages when it found nothing usable.</summary>
public sealed record CredentialLookup(RegistryCredential? Credential, string Note);

/// <summary>
/// Registry credentials from containers <c>auth.json</c> files and docker's <c>config.json</c>, read in
/// containers/image's order; the first file with credentials for the registry wins. Within a file, as
/// containers/image: a <c>credHelpers</c> entry for the registry runs that helper (not logged in: the next file;
/// a helper missing or failing: an error), else the <c>auths</c> entries, most specific key first. Then, as docker
/// does (containers/image ignores it), <c>credsStore</c> runs that helper for any registry; one that is missing
/// or not logged in is noted and the search goes on.
/// </summary>
public sealed class CredentialStore
{
    private const long MaxFileBytes = 1024 * 1024;

    private readonly bool explicitFile;
    private readonly Func<string, string?> environmentVariable;
    private readonly TimeSpan helperTimeout;

    /// <param name="environmentVariable">Where PATH is read to find <c>docker-credential-*</c> helpers; the process environment unless given.</param>
    /// <param name="helperTimeout">Longest run of a helper; 30 s unless given.</param>
    public CredentialStore(IReadOnlyList<string> files, bool explicitFile = false, Func<string, string?>? environmentVariable = null, TimeSpan? helperTimeout = null)
    {
        Files = files;
        this.explicitFile = explicitFile;
        this.environmentVariable = environmentVariable ?? Environment.GetEnvironmentVariable;
        this.helperTimeout = helperTimeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>The files searched, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The files <paramref name="options"/> name: <c>--authfile</c> alone, else the default search path.</summary>
    public static CredentialStore FromOptions(RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AuthFilePath is { } path
            ? new CredentialStore([path], explicitFile: true, options.EnvironmentVariable, options.Timeout)
            : new CredentialStore(DefaultFiles(options.EnvironmentVariable), explicitFile: false, options.EnvironmentVariable, options.Timeout);
    }

    /// <summary>
    /// <c>$REGISTRY_AUTH_FILE</c> (else <c>$XDG_RUNTIME_DIR/containers/auth.json</c>), <c>~/.config/containers/auth.json</c>,
    /// <c>$DOCKER_CONFIG/config.json</c> (else <c>~/.docker/config.json</c>), <c>~/.dockercfg</c>.
    /// </summary>
    public static IReadOnlyList<string> DefaultFiles(Func<string, string?> environmentVariable)
    {
        ArgumentNullException.ThrowIfNull(environmentVariable);
        var files = new List<string>();
        string? Variable(string name) => environmentVariable(name) is { Length: > 0 } value ? value : null;

        if (Variable("REGISTRY_AUTH_FILE") is { } authFile)
        {
            files.Add(authFile);
        }
        else if (Variable("XDG_RUNTIME_DIR") is { } runtimeDir)
        {
            files.Add(Path.Combine(runtimeDir, "containers", "auth.json"));
        }

        var home = Variable("HOME");
        if (home is not null)
        {
            files.Add(Path.Combine(home, ".config", "containers", "auth.json"));
        }

        if (Variable("DOCKER_CONFIG") is { } dockerConfig)
        {
            files.Add(Path.Combine(dockerConfig, "config.json"));
        }
        else if (home is not null)
        {
            files.Add(Path.Combine(home, ".docker", "config.json"));
        }

        if (home is not null)
        {
            files.Add(Path.Combine(home, ".dockercfg"));
        }

        return files;
    }

    /// <summary>Finds credentials for <paramref name="registry"/> (as in the reference, e.g. docker.io) and repository, running credential helpers where the files name them.</summary>
    public async Task<CredentialLookup> FindAsync(string registry, string repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(repository);
        var normalized = NormalizeRegistry(registry);
        var keys = CandidateKeys(normalized, repository);
        var notes = new List<string>();
        var searched = new List<string>();
        foreach (var file in Files)
        {
            if (!File.Exists(file))
            {
                if (explicitFile)
                {
                    throw StrataException.Usage($"--authfile {file}: no such file.");
                }

                continue;
            }

            searched.Add(file);
            var answer = ReadFile(file, keys);
            if (answer.CredHelper is { } credHelper)
            {
                var executable = CredentialHelper.Locate(credHelper, environmentVariable("PATH"))
                    ?? throw StrataException.BadInput($"{file}: credHelpers names docker-credential-{Redaction.Quote(credHelper, 60)} for {normalized}, which is not on PATH.");
                if (await CredentialHelper.GetAsync(executable, normalized, $"credHelpers in {file}", helperTimeout, cancellationToken) is { } helped)
                {
                    return new CredentialLookup(helped, $"credentials for {helped}");
                }

                notes.Add($"docker-credential-{credHelper} (credHelpers in {file}) has no credentials for {normalized}");
                continue;
            }

            if (answer.Credential is { } found)
            {
                return new CredentialLookup(found, $"credentials for {found}");
            }

            if (answer.CredsStore is { } credsStore)
            {
                if (CredentialHelper.Locate(credsStore, environmentVariable("PATH")) is not { } executable)
                {
                    notes.Add($"{file} names credential helper docker-credential-{Redaction.Quote(credsStore, 60)} (credsStore), which is not on PATH");
                    continue;
                }

                if (await CredentialHelper.GetAsync(executable, normalized, $"credsStore in {file}", helperTimeout, cancellationToken) is { } stored)
                {
                    return new CredentialLookup(stored, $"credentials for {stored}");
                }

                notes.Add($"docker-credential-{credsStore} (credsStore in {file}) has no credentials for {normalized}");
            }
        }

        var where = searched.Count == 0 ? "no credentials file exists" : "searched " + string.Join(", ", searched);
        notes.Insert(0, $"no credentials for {registry} ({where}); pass --creds or log in with skopeo, podman or docker");
        return new CredentialLookup(null, string.Join("; ", notes));
    }

    /// <summary>Most specific first: registry/a/b, registry/a, registry.</summary>
    private static List<string> CandidateKeys(string registry, string repository)
    {
        var keys = new List<string>();
        var path = repository;
        while (path.Length > 0)
        {
            keys.Add($"{registry}/{path}");
            var slash = path.LastIndexOf('/');
            path = slash < 0 ? string.Empty : path[..slash];
        }

        keys.Add(registry);
        return keys;
    }

    private static string NormalizeRegistry(string registry) =>
        registry is "index.docker.io" or "registry-1.docker.io" ? ImageReference.DockerHub : registry;

    /// <summary>Legacy docker keys are URLs (<c>https://index.docker.io/v1/</c>): keep only the host. Others may be namespaced.</summary>
    private static string NormalizeKey(string key)
    {
        foreach (var scheme in (ReadOnlySpan<string>)["https://", "http://"])
        {
            if (key.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                var host = key[scheme.Length..];
                var slash = host.IndexOf('/', StringComparison.Ordinal);
                return NormalizeRegistry(slash < 0 ? host : host[..slash]);
            }
        }

        var firstSlash = key.IndexOf('/', StringComparison.Ordinal);
        return firstSlash < 0 ? NormalizeRegistry(key) : NormalizeRegistry(key[..firstSlash]) + key[firstSlash..];
    }

    /// <summary>What one file says for the registry: credentials, or a helper to run.</summary>
    private sealed record FileAnswer(RegistryCredential? Credential, string? CredHelper, string? CredsStore);

    private static FileAnswer ReadFile(string file, List<string> keys)
    {
        var bytes = BoundedFile.ReadAllBytes(file, MaxFileBytes, "a credentials file");
        JsonDocument document;
        try
        {
            // A string that is not UTF-8 text would throw when read: refused here as bad input, naming the file.
            JsonStrings.Validate(bytes, file);
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = Limits.Default.MaxDepth });
        }
        catch (JsonException e)
        {
            // JsonException messages quote position, not content, so no secret leaks through them.
            throw StrataException.BadInput($"{file}: not valid JSON (line {e.LineNumber + 1}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw StrataException.BadInput($"{file}: expected a JSON object.");
            }

            // ~/.dockercfg is the bare auths map.
            var isLegacy = Path.GetFileName(file) == ".dockercfg";
            if (!isLegacy && HelperFor(file, root, "credHelpers", keys[^1]) is { } credHelper)
            {
                return new FileAnswer(null, credHelper, null);
            }

            var auths = isLegacy ? root : root.TryGetProperty("auths", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
            if (auths.ValueKind == JsonValueKind.Object)
            {
                var entries = new Dictionary<string, (string Key, JsonElement Entry)>(StringComparer.Ordinal);
                foreach (var property in auths.EnumerateObject())
                {
                    entries.TryAdd(NormalizeKey(property.Name), (property.Name, property.Value));
                }

                foreach (var key in keys)
                {
                    if (entries.TryGetValue(key, out var entry) && ParseEntry(file, entry.Key, entry.Entry) is { } credential)
                    {
                        return new FileAnswer(credential, null, null);
                    }
                }
            }

            return new FileAnswer(null, null, isLegacy ? null : HelperFor(file, root, "credsStore", keys[^1]));
        }
    }

    private static RegistryCredential? ParseEntry(string file, string key, JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw StrataException.BadInput($"{file}: auths.\"{key}\" is not an object.");
        }

        var username = StringProperty(file, key, entry, "username");
        var password = StringProperty(file, key, entry, "password");
        var identityToken = StringProperty(file, key, entry, "identitytoken");
        if (StringProperty(file, key, entry, "auth") is { Length: > 0 } auth)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException)
            {
                throw StrataException.BadInput($"{file}: auths.\"{key}\".auth is not base64 (value not shown).");
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw StrataException.BadInput($"{file}: auths.\"{key}\".auth does not decode to USERNAME:PASSWORD (value not shown).");
            }

            username = decoded[..colon];
            password = decoded[(colon + 1)..];
        }

        if (string.IsNullOrEmpty(identityToken) && (string.IsNullOrEmpty(username) || password is null))
        {
            return null;
        }

        return new RegistryCredential(username ?? string.Empty, password ?? string.Empty, file, identityToken);
    }

    private static string? StringProperty(string file, string key, JsonElement entry, string name) =>
        !entry.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw StrataException.BadInput($"{file}: auths.\"{key}\".{name} is not a string.");

    /// <summary>The helper <c>credHelpers</c> names for the registry, or the <c>credsStore</c> helper; null when none.</summary>
    private static string? HelperFor(string file, JsonElement root, string field, string registry)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        string? name = null;
        if (field == "credsStore")
        {
            name = value.ValueKind == JsonValueKind.String ? value.GetString() : throw StrataException.BadInput($"{file}: credsStore is not a string.");
        }
        else if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                if (NormalizeKey(property.Name) == registry)
                {
                    name = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : throw StrataException.BadInput($"{file}: credHelpers.\"{property.Name}\" is not a string.");
                }
            }
        }

        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        return CredentialHelper.IsValidName(name)
            ? name
            : throw StrataException.BadInput($"{file}: {field} names '{Redaction.Quote(name, 60)}', not a credential helper name (one word: docker-credential-NAME is run from PATH).");
    }
}
