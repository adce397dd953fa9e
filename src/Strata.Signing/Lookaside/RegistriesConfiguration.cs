namespace Strata.Signing.Lookaside;

using Strata.Oci;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

/// <summary>
/// The registries.d configuration (containers-registries.d(5)) as containers/image reads it: every <c>*.yaml</c> file of
/// one directory merged, <c>default-docker</c> and <c>docker:</c> sections keyed by host, host/namespace,
/// host/repository, host/repository:tag or <c>*.domain</c>, the most specific first. Each section may name
/// <c>lookaside</c> (read, and write without staging), <c>lookaside-staging</c> (write), the older
/// <c>sigstore</c>/<c>sigstore-staging</c>, and <c>use-sigstore-attachments</c>.
/// </summary>
public sealed class RegistriesConfiguration
{
    /// <summary>containers/image refuses to read more lookaside signatures than this for one manifest.</summary>
    public const int MaxLookasideSignatures = 128;

    private const int MaxFileBytes = 1024 * 1024;

    private static readonly string[] SectionKeys = ["lookaside", "lookaside-staging", "sigstore", "sigstore-staging", "use-sigstore-attachments"];

    private readonly Dictionary<string, RegistryNamespace> namespaces;

    private RegistriesConfiguration(RegistryNamespace? defaultDocker, Dictionary<string, RegistryNamespace> namespaces, string directory)
    {
        DefaultDocker = defaultDocker;
        this.namespaces = namespaces;
        Directory = directory;
    }

    /// <summary>The directory read (it may not exist: then nothing is configured).</summary>
    public string Directory { get; }

    /// <summary>The <c>default-docker</c> section, if any.</summary>
    public RegistryNamespace? DefaultDocker { get; }

    /// <summary>The <c>docker:</c> sections by scope.</summary>
    public IReadOnlyDictionary<string, RegistryNamespace> Docker => namespaces;

    /// <summary>
    /// The directory containers/image uses: <paramref name="explicitDirectory"/> (<c>--registries.d</c>) when given, else
    /// <c>$HOME/.config/containers/registries.d</c> when it exists, else <c>/etc/containers/registries.d</c>.
    /// </summary>
    public static string DirectoryToUse(string? explicitDirectory, string? home = null)
    {
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            return explicitDirectory;
        }

        home ??= Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var user = Path.Combine(home, ".config", "containers", "registries.d");
        return System.IO.Directory.Exists(user) ? user : "/etc/containers/registries.d";
    }

    /// <summary>Reads the configuration from <see cref="DirectoryToUse"/>.</summary>
    public static RegistriesConfiguration Load(string? explicitDirectory = null)
    {
        var directory = DirectoryToUse(explicitDirectory);
        var files = new List<(string Path, string Text)>();
        if (System.IO.Directory.Exists(directory))
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(path);
                if (info.Length > MaxFileBytes)
                {
                    throw new SignatureException($"{path}: {info.Length} bytes, more than the {MaxFileBytes} allowed for a registries.d file");
                }

                files.Add((path, File.ReadAllText(path)));
            }
        }
        else if (explicitDirectory is not null && File.Exists(explicitDirectory))
        {
            throw new SignatureException($"{explicitDirectory}: registries.d must be a directory of *.yaml files");
        }

        return Parse(files, directory);
    }

    /// <summary>Merges the given files (path, YAML text); a scope or <c>default-docker</c> defined twice is an error, as in containers/image.</summary>
    public static RegistriesConfiguration Parse(IEnumerable<(string Path, string Text)> files, string directory = "")
    {
        ArgumentNullException.ThrowIfNull(files);
        RegistryNamespace? defaultDocker = null;
        string? defaultFrom = null;
        var namespaces = new Dictionary<string, RegistryNamespace>(StringComparer.Ordinal);
        var from = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            var root = ReadRoot(path, text);
            if (root is null)
            {
                continue;
            }

            foreach (var (keyNode, value) in root.Children)
            {
                var key = Scalar(keyNode, path);
                switch (key)
                {
                    case "default-docker":
                        if (value is YamlScalarNode { Value: null or "" or "~" or "null" })
                        {
                            break;
                        }

                        if (defaultDocker is not null)
                        {
                            throw new SignatureException($"registries.d: \"default-docker\" defined both in {defaultFrom} and {path}");
                        }

                        defaultDocker = ReadNamespace(value, path, "default-docker");
                        defaultFrom = path;
                        break;
                    case "docker":
                        if (value is YamlScalarNode { Value: null or "" or "~" or "null" })
                        {
                            break;
                        }

                        if (value is not YamlMappingNode docker)
                        {
                            throw new SignatureException($"{path}: \"docker\" must be a mapping of registry scopes");
                        }

                        foreach (var (scopeNode, section) in docker.Children)
                        {
                            var scope = Scalar(scopeNode, path);
                            if (from.TryGetValue(scope, out var first))
                            {
                                throw new SignatureException($"registries.d: \"docker\" namespace \"{scope}\" defined both in {first} and {path}");
                            }

                            namespaces[scope] = ReadNamespace(section, path, scope);
                            from[scope] = path;
                        }

                        break;
                    default:
                        // containers/image's YAML decoding ignores unknown top-level keys.
                        break;
                }
            }
        }

        return new RegistriesConfiguration(defaultDocker, namespaces, directory);
    }

    /// <summary>
    /// The lookaside base URL configured for <paramref name="image"/> (for writing: staging first), without the repository
    /// path; null when nothing is configured (containers/image then falls back to <see cref="BuiltinDefault"/>).
    /// </summary>
    public Uri? TopLevelFor(ImageReference image, bool write)
    {
        ArgumentNullException.ThrowIfNull(image);
        foreach (var section in SectionsFor(image))
        {
            if (section.TopLevel(write) is { } url)
            {
                return Parse(url);
            }
        }

        return null;
    }

    /// <summary>
    /// The lookaside directory for an image's repository: the configured (or built-in default) base with the repository
    /// path appended, e.g. <c>file:///var/lib/containers/sigstore/library/busybox</c>.
    /// </summary>
    public Uri LookasideBaseFor(ImageReference image, bool write)
    {
        var top = TopLevelFor(image, write) ?? BuiltinDefault();
        var builder = new UriBuilder(top);
        builder.Path = builder.Path.TrimEnd('/') + "/" + image.Repository;
        return builder.Uri;
    }

    /// <summary>Whether sigstore attachments (the <c>sha256-…sig</c> tag) are read and written for this image.</summary>
    public bool UseSigstoreAttachments(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        foreach (var section in SectionsFor(image))
        {
            if (section.UseSigstoreAttachments is bool value)
            {
                return value;
            }
        }

        return false;
    }

    /// <summary>containers/image's built-in lookaside: /var/lib/containers/sigstore for root, ~/.local/share/containers/sigstore otherwise.</summary>
    public static Uri BuiltinDefault()
    {
        var path = Environment.UserName == "root"
            ? "/var/lib/containers/sigstore"
            : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "containers", "sigstore");
        return new Uri("file://" + path);
    }

    /// <summary>The scopes containers/image tries for an image, most specific first: the full identity, then each namespace, then <c>*.domain</c> wildcards.</summary>
    public static IReadOnlyList<string> ScopesFor(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = new List<string>
        {
            image.Digest is Digest digest ? $"{image.Name}@{digest}" : $"{image.Name}:{image.Tag ?? ImageReference.DefaultTag}",
        };
        var name = image.Name;
        while (true)
        {
            result.Add(name);
            var slash = name.LastIndexOf('/');
            if (slash < 0)
            {
                break;
            }

            name = name[..slash];
        }

        var port = name.IndexOf(':', StringComparison.Ordinal);
        if (port >= 0)
        {
            name = name[..port];
        }

        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', StringComparison.Ordinal))
        {
            name = name[(dot + 1)..];
            result.Add("*." + name);
        }

        return result;
    }

    private IEnumerable<RegistryNamespace> SectionsFor(ImageReference image)
    {
        foreach (var scope in ScopesFor(image))
        {
            if (namespaces.TryGetValue(scope, out var section))
            {
                yield return section;
            }
        }

        if (DefaultDocker is not null)
        {
            yield return DefaultDocker;
        }
    }

    private static Uri Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("file" or "http" or "https"))
        {
            throw new SignatureException($"registries.d: invalid lookaside URL {url} (expected file://, http:// or https://)");
        }

        return uri;
    }

    private static YamlMappingNode? ReadRoot(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new SignatureException($"parsing {path}: {e.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        return stream.Documents[0].RootNode as YamlMappingNode ?? throw new SignatureException($"parsing {path}: the document must be a mapping");
    }

    private static string Scalar(YamlNode node, string path) =>
        node is YamlScalarNode { Value: { } value } ? value : throw new SignatureException($"parsing {path}: keys must be strings");

    private static RegistryNamespace ReadNamespace(YamlNode node, string path, string scope)
    {
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return new RegistryNamespace();
        }

        if (node is not YamlMappingNode mapping)
        {
            throw new SignatureException($"parsing {path}: section \"{scope}\" must be a mapping");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = Scalar(keyNode, path);
            if (!SectionKeys.Contains(key))
            {
                // Unknown keys are ignored by containers/image's decoder as well.
                continue;
            }

            values[key] = valueNode is YamlScalarNode { Value: { } v } ? v : throw new SignatureException($"parsing {path}: \"{scope}\".{key} must be a scalar");
        }

        bool? attachments = null;
        if (values.TryGetValue("use-sigstore-attachments", out var text))
        {
            attachments = text switch
            {
                "true" or "True" or "TRUE" => true,
                "false" or "False" or "FALSE" => false,
                _ => throw new SignatureException($"parsing {path}: \"{scope}\".use-sigstore-attachments must be true or false, not {text}"),
            };
        }

        return new RegistryNamespace
        {
            Lookaside = values.GetValueOrDefault("lookaside"),
            LookasideStaging = values.GetValueOrDefault("lookaside-staging"),
            SigStore = values.GetValueOrDefault("sigstore"),
            SigStoreStaging = values.GetValueOrDefault("sigstore-staging"),
            UseSigstoreAttachments = attachments,
        };
    }
}

/// <summary>One registries.d section.</summary>
public sealed record RegistryNamespace
{
    public string? Lookaside { get; init; }

    public string? LookasideStaging { get; init; }

    /// <summary>The older name of <see cref="Lookaside"/>.</summary>
    public string? SigStore { get; init; }

    /// <summary>The older name of <see cref="LookasideStaging"/>.</summary>
    public string? SigStoreStaging { get; init; }

    public bool? UseSigstoreAttachments { get; init; }

    /// <summary>The URL for reading, or for writing (staging first), in containers/image's order of precedence; null when none.</summary>
    public string? TopLevel(bool write)
    {
        if (write)
        {
            if (!string.IsNullOrEmpty(LookasideStaging))
            {
                return LookasideStaging;
            }

            if (!string.IsNullOrEmpty(SigStoreStaging))
            {
                return SigStoreStaging;
            }
        }

        return !string.IsNullOrEmpty(Lookaside) ? Lookaside : string.IsNullOrEmpty(SigStore) ? null : SigStore;
    }
}
