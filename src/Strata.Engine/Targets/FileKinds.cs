namespace Strata.Engine.Targets;

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Ignoring;
using Strata.Core.Targets;
using Strata.Secrets;

/// <summary>What a file is to Strata, as told by <see cref="FileKinds.Classify"/>.</summary>
/// <param name="Kind">A file kind with its own scanner (Dockerfile, Kubernetes manifest, seccomp profile, runtime config, engine config), or <see cref="TargetKind.File"/>.</param>
/// <param name="What">For <see cref="TargetKind.File"/>: what Strata recognised it as (e.g. "a Helm values file"); null when nothing.</param>
/// <param name="Hint">How to have it checked properly, e.g. rendering a Helm chart first; null when there is nothing to do.</param>
public sealed record FileClass(TargetKind Kind, string? What = null, string? Hint = null)
{
    /// <summary>A Helm template or a file of a chart (Chart.yaml, values.yaml): Kubernetes, but only once rendered.</summary>
    public bool IsHelm { get; init; }

    /// <summary>A Strata configuration file (an ignore file, a secret scanner configuration).</summary>
    public bool IsStrataConfiguration { get; init; }
}

/// <summary>
/// Tells what kind of target a file is: by its name first (Dockerfile, Containerfile, Chart.yaml, kustomization.yaml, …),
/// then by its content (JSON top-level keys, a YAML <c>apiVersion</c>, Helm's <c>{{ }}</c>, a <c>FROM</c> line).
/// </summary>
public static partial class FileKinds
{
    /// <summary>How much of a file is read to tell its kind.</summary>
    private const int HeadBytes = 64 * 1024;

    private const string HelmHint = "render it with `helm template CHART > rendered.yaml` and scan rendered.yaml";

    private static readonly string[] FileKindPrefixes = [.. TargetKindNames.All.Where(k => TargetKindNames.TryParse(k, out var kind) && kind.IsFileKind()).Select(k => k + ":")];

    /// <summary>The advice for a file of no known kind.</summary>
    public static string NameItsKind => $"name its kind with a prefix ({string.Join(", ", FileKindPrefixes)}) or --kind";

    /// <summary>
    /// Classifies one file. <paramref name="sniffAnyName"/> also reads files whose name says nothing (an explicit target
    /// named <c>recipe</c> may be a Dockerfile); a source tree reads only .yaml, .yml and .json files, and a malformed
    /// JSON file there is simply of no known kind.
    /// </summary>
    /// <param name="limits">Bounds the read of a JSON file (default <see cref="Limits.Default"/>).</param>
    public static FileClass Classify(string path, bool sniffAnyName, Limits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        if (ByName(name) is { } byName)
        {
            return byName;
        }

        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (extension == ".conf" && Path.GetFileName(Path.GetDirectoryName(path)) == "crio.conf.d")
        {
            return new FileClass(TargetKind.CrioConfig);
        }

        if (extension is ".toml" or ".conf")
        {
            // containerd names its plugins io.containerd.…; CRI-O keeps everything under [crio…] tables.
            var toml = ReadHead(path);
            return toml.Contains("io.containerd.", StringComparison.Ordinal) ? new FileClass(TargetKind.ContainerdConfig)
                : CrioTablePattern().IsMatch(toml) ? new FileClass(TargetKind.CrioConfig)
                : new FileClass(TargetKind.File);
        }

        var structured = extension is ".yaml" or ".yml" or ".json";
        if (!structured && !sniffAnyName)
        {
            return new FileClass(TargetKind.File);
        }

        var head = ReadHead(path);
        if (head.TrimStart().StartsWith('{'))
        {
            return ClassifyJson(path, strict: sniffAnyName, limits ?? Limits.Default) is { } json ? new FileClass(json) : new FileClass(TargetKind.File);
        }

        if (YamlApiVersionPattern().IsMatch(head) && extension is not ".json")
        {
            // One security-profiles-operator SeccompProfile object is a seccomp profile; in a stream of other objects it is a manifest.
            if (SpoSeccompKindPattern().IsMatch(head) && head.Contains("security-profiles-operator.x-k8s.io", StringComparison.Ordinal)
                && !DocumentSeparatorPattern().IsMatch(head.TrimStart().TrimStart('-')))
            {
                return new FileClass(TargetKind.SeccompProfile);
            }

            return head.Contains("{{", StringComparison.Ordinal)
                ? new FileClass(TargetKind.File, "a template (Helm or Go), not a manifest", HelmHint) { IsHelm = true }
                : new FileClass(TargetKind.KubernetesManifest);
        }

        if (sniffAnyName && DockerfileInstructionPattern().IsMatch(head))
        {
            return new FileClass(TargetKind.Dockerfile);
        }

        return new FileClass(TargetKind.File);
    }

    public static bool IsDockerfileName(string name) =>
        name.Equals("Dockerfile", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Containerfile", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Dockerfile.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Containerfile.", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".dockerfile", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".containerfile", StringComparison.OrdinalIgnoreCase);

    /// <summary>Names that say what a file is whatever it holds.</summary>
    private static FileClass? ByName(string name)
    {
        if (IsDockerfileName(name))
        {
            return new FileClass(TargetKind.Dockerfile);
        }

        if (name == "daemon.json")
        {
            return new FileClass(TargetKind.DockerDaemonConfig);
        }

        if (name == "crio.conf")
        {
            return new FileClass(TargetKind.CrioConfig);
        }

        if (name is "Chart.yaml" or "Chart.lock" || (name.StartsWith("values", StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            return new FileClass(TargetKind.File, name.StartsWith("values", StringComparison.Ordinal) ? "a Helm values file" : "a Helm chart file", "render the chart with `helm template CHART > rendered.yaml` and scan rendered.yaml") { IsHelm = true };
        }

        if (name is "kustomization.yaml" or "kustomization.yml" or "Kustomization")
        {
            return new FileClass(TargetKind.File, "a kustomization", "to check what it builds, run `kustomize build DIR > rendered.yaml` and scan rendered.yaml");
        }

        if (name == IgnoreFile.DefaultName)
        {
            return new FileClass(TargetKind.File, "a Strata ignore file") { IsStrataConfiguration = true };
        }

        if (name == SecretScannerConfig.DefaultName)
        {
            return new FileClass(TargetKind.File, "a secret scanner configuration") { IsStrataConfiguration = true };
        }

        return null;
    }

    private static string ReadHead(string path)
    {
        try
        {
            using var stream = FileNodes.OpenRegular(path);
            var buffer = new byte[HeadBytes];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.BadInput($"{path}: cannot read: {e.Message}");
        }
    }

    /// <summary>Tells a JSON file's kind from its top-level keys only (the scanner parses it properly).</summary>
    private static TargetKind? ClassifyJson(string path, bool strict, Limits limits)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var bytes = Core.Documents.BoundedFile.ReadAllBytes(path, limits.MaxDocumentBytes, limitKey: Core.Documents.BoundedFile.DocumentBytesKey);

            // Any depth: this reader does not recurse, and the scanner refuses a document nested too deep, naming its limit.
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = int.MaxValue, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                keys.Add(reader.GetString() ?? string.Empty);
                reader.Read();
                reader.Skip();
            }

            // Reading on to the end checks the document is well-formed, so a broken file is named here, with its line.
            while (reader.Read())
            {
            }
        }
        catch (JsonException e) when (strict)
        {
            throw StrataException.BadInput($"{path}:{(e.LineNumber ?? 0) + 1}: malformed JSON: {Redaction.Quote(FirstSentence(e.Message), 200)}");
        }
        catch (Exception e) when (!strict && e is JsonException or StrataException)
        {
            return null;
        }

        if (keys.Contains("ociVersion") || (keys.Contains("process") && keys.Contains("root")))
        {
            return TargetKind.RuntimeConfig;
        }

        if (keys.Contains("defaultAction") || keys.Contains("syscalls"))
        {
            return TargetKind.SeccompProfile;
        }

        return keys.Contains("apiVersion") && keys.Contains("kind") ? TargetKind.KubernetesManifest : null;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex(@"^\s*\[crio(\.[a-z_.]+)?\]", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex CrioTablePattern();

    [GeneratedRegex(@"^\s*apiVersion\s*:", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex YamlApiVersionPattern();

    [GeneratedRegex(@"^kind\s*:\s*[""']?SeccompProfile[""']?\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SpoSeccompKindPattern();

    [GeneratedRegex(@"^---", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex DocumentSeparatorPattern();

    [GeneratedRegex(@"^\s*FROM\s+\S", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DockerfileInstructionPattern();
}
