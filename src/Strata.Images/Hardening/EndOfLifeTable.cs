namespace Strata.Images.Hardening;

using System.Globalization;
using System.Text.Json;

/// <summary>One release's support dates.</summary>
/// <param name="Eol">The last day of free security updates.</param>
/// <param name="RegularEnd">Where support narrows before <paramref name="Eol"/> (Debian: regular security support ends, LTS follows).</param>
public sealed record EndOfLifeRelease(string Distribution, string Version, string? Codename, DateOnly Eol, DateOnly? RegularEnd, IReadOnlyList<string> Sources);

/// <summary>
/// End-of-life dates of the common base distributions (embedded <c>Data/os-eol.json</c>, with its sources),
/// looked up by os-release ID and VERSION_ID.
/// </summary>
public sealed class EndOfLifeTable
{
    private const string ResourceName = "Strata.Images.Hardening.Data.os-eol.json";

    private static readonly Lazy<EndOfLifeTable> Embedded = new(LoadEmbedded);

    private readonly Dictionary<string, Dictionary<string, EndOfLifeRelease>> byDistribution;

    private EndOfLifeTable(Dictionary<string, Dictionary<string, EndOfLifeRelease>> byDistribution)
    {
        this.byDistribution = byDistribution;
    }

    public static EndOfLifeTable Default => Embedded.Value;

    /// <summary>The distribution IDs the table knows (os-release ID, plus <c>centos-stream</c>).</summary>
    public IEnumerable<string> Distributions => byDistribution.Keys;

    /// <summary>The release an os-release names, matching VERSION_ID by its longest dotted prefix (3.19.1 → 3.19, 9.4 → 9), or the codename.</summary>
    public EndOfLifeRelease? Find(OsRelease os)
    {
        ArgumentNullException.ThrowIfNull(os);
        var id = os.Id == "centos" && os.Name?.Contains("Stream", StringComparison.OrdinalIgnoreCase) == true ? "centos-stream" : os.Id;
        if (!byDistribution.TryGetValue(id, out var releases))
        {
            return null;
        }

        if (os.VersionId is { Length: > 0 } version)
        {
            var candidate = version;
            while (true)
            {
                if (releases.TryGetValue(candidate, out var release))
                {
                    return release;
                }

                var dot = candidate.LastIndexOf('.');
                if (dot <= 0)
                {
                    break;
                }

                candidate = candidate[..dot];
            }
        }

        if (os.VersionCodename is { Length: > 0 } codename)
        {
            return releases.Values.FirstOrDefault(r => string.Equals(r.Codename, codename, StringComparison.OrdinalIgnoreCase));
        }

        return null;
    }

    public static EndOfLifeTable Parse(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var table = new Dictionary<string, Dictionary<string, EndOfLifeRelease>>(StringComparer.Ordinal);
        foreach (var distribution in document.RootElement.GetProperty("distributions").EnumerateArray())
        {
            var id = distribution.GetProperty("id").GetString() ?? throw new InvalidDataException("os-eol.json: a distribution without id");
            var name = distribution.GetProperty("name").GetString() ?? id;
            var sources = distribution.GetProperty("sources").EnumerateArray().Select(s => s.GetString() ?? string.Empty).ToList();
            var releases = new Dictionary<string, EndOfLifeRelease>(StringComparer.Ordinal);
            foreach (var release in distribution.GetProperty("releases").EnumerateArray())
            {
                var version = release.GetProperty("version").GetString() ?? throw new InvalidDataException($"os-eol.json: {id}: a release without version");
                releases[version] = new EndOfLifeRelease(
                    name,
                    version,
                    release.TryGetProperty("codename", out var codename) ? codename.GetString() : null,
                    Date(release, "eol") ?? throw new InvalidDataException($"os-eol.json: {id} {version}: no eol date"),
                    Date(release, "regularEnd"),
                    sources);
            }

            table[id] = releases;
        }

        return new EndOfLifeTable(table);
    }

    private static DateOnly? Date(JsonElement release, string name) =>
        release.TryGetProperty(name, out var value) ? DateOnly.ParseExact(value.GetString() ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    private static EndOfLifeTable LoadEmbedded()
    {
        using var stream = typeof(EndOfLifeTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        return Parse(stream);
    }
}
