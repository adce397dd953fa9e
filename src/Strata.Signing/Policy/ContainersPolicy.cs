namespace Strata.Signing.Policy;

using System.Text.Json;
using Strata.Core;

/// <summary>
/// A containers-policy.json(5) file: the <c>default</c> requirements and per-transport scopes, read with
/// containers/image's strictness and looked up as it does (most specific scope of the image's transport, then that
/// transport's <c>""</c> scope, then <c>default</c>).
/// </summary>
public sealed class ContainersPolicy
{
    /// <summary>Largest policy file read.</summary>
    public const int MaxPolicyBytes = 4 * 1024 * 1024;

    /// <summary>The system-wide policy, used when the user has none.</summary>
    public const string SystemPolicyPath = "/etc/containers/policy.json";

    private ContainersPolicy(IReadOnlyList<PolicyRequirement> defaultRequirements, IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<PolicyRequirement>>> transports)
    {
        Default = defaultRequirements;
        Transports = transports;
    }

    /// <summary>The requirements when no transport scope applies.</summary>
    public IReadOnlyList<PolicyRequirement> Default { get; }

    /// <summary>Transport name → scope (<c>""</c> is the transport's default) → requirements.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<PolicyRequirement>>> Transports { get; }

    /// <summary>
    /// Where containers/image looks when no policy is named: <c>$HOME/.config/containers/policy.json</c> if it exists,
    /// else <c>/etc/containers/policy.json</c> if it exists; null when neither does.
    /// </summary>
    public static string? FindDefaultPath(string? home = null, string systemPath = SystemPolicyPath)
    {
        home ??= Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var user = Path.Combine(home, ".config", "containers", "policy.json");
        return File.Exists(user) ? user : File.Exists(systemPath) ? systemPath : null;
    }

    /// <summary>The paths <see cref="FindDefaultPath"/> tries, for messages.</summary>
    public static IReadOnlyList<string> DefaultPaths(string? home = null)
    {
        home ??= Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return [Path.Combine(home, ".config", "containers", "policy.json"), SystemPolicyPath];
    }

    /// <summary>Reads and parses a policy file; a file that cannot be read is a usage error, an invalid one names the file.</summary>
    public static async Task<ContainersPolicy> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxPolicyBytes)
            {
                throw StrataException.BadInput($"policy {path}: larger than {MaxPolicyBytes} bytes.");
            }

            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.Usage($"policy {path}: cannot be read ({e.Message}).");
        }

        try
        {
            return Parse(bytes);
        }
        catch (PolicyFormatException e)
        {
            throw new PolicyFormatException($"invalid policy in {path}: {e.Message}", e);
        }
    }

    /// <summary>Parses policy JSON.</summary>
    public static ContainersPolicy Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new PolicyFormatException($"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = StrictJsonObject.Read(document.RootElement, "policy", key => key is "default" or "transports");
            if (root.Element("default") is not { ValueKind: not JsonValueKind.Null } defaultElement)
            {
                throw new PolicyFormatException("default policy is missing");
            }

            var defaults = ParseRequirements(defaultElement, "default");
            var transports = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<PolicyRequirement>>>(StringComparer.Ordinal);
            if (root.Element("transports") is { ValueKind: not JsonValueKind.Null } transportsElement)
            {
                StrictJsonObject.Read(transportsElement, "transports", _ => true);
                foreach (var transport in transportsElement.EnumerateObject())
                {
                    var where = $"transports.{transport.Name}";
                    var scopes = new Dictionary<string, IReadOnlyList<PolicyRequirement>>(StringComparer.Ordinal);
                    if (transport.Value.ValueKind != JsonValueKind.Null)
                    {
                        StrictJsonObject.Read(transport.Value, where, _ => true);
                        foreach (var scope in transport.Value.EnumerateObject())
                        {
                            if (PolicyImageName.ScopeError(transport.Name, scope.Name) is { } error)
                            {
                                throw new PolicyFormatException($"{where}: unknown key \"{scope.Name}\" ({error})");
                            }

                            scopes.Add(scope.Name, ParseRequirements(scope.Value, $"{where}[\"{scope.Name}\"]"));
                        }
                    }

                    transports.Add(transport.Name, scopes);
                }
            }

            return new ContainersPolicy(defaults, transports);
        }
    }

    /// <summary>The requirements that apply to <paramref name="image"/>, and the scope they come from.</summary>
    public (string Scope, IReadOnlyList<PolicyRequirement> Requirements) RequirementsFor(PolicyImageName image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Transports.TryGetValue(image.Transport, out var scopes))
        {
            if (scopes.TryGetValue(image.Identity, out var exact))
            {
                return ($"transports.{image.Transport}[\"{image.Identity}\"]", exact);
            }

            foreach (var name in image.Namespaces)
            {
                if (scopes.TryGetValue(name, out var requirements))
                {
                    return ($"transports.{image.Transport}[\"{name}\"]", requirements);
                }
            }

            if (scopes.TryGetValue(string.Empty, out var transportDefault))
            {
                return ($"transports.{image.Transport}[\"\"]", transportDefault);
            }
        }

        return ("default", Default);
    }

    private static IReadOnlyList<PolicyRequirement> ParseRequirements(JsonElement element, string where)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            throw new PolicyFormatException($"{where}: list of verification policy requirements must not be empty");
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new PolicyFormatException($"{where}: expected an array of requirements");
        }

        if (element.GetArrayLength() == 0)
        {
            throw new PolicyFormatException($"{where}: list of verification policy requirements must not be empty");
        }

        return [.. element.EnumerateArray().Select((item, i) => PolicyRequirement.Parse(item, $"{where}[{i}]"))];
    }
}
