namespace Strata.Kernel.KernelCves;

using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;

/// <summary>
/// Kernel CVEs by version: the built-in table of container-escape CVEs (<c>Data/kernel-escape-cves.json</c>), or the
/// full linux_kernel_cves dataset (<c>stream_fixes.json</c> and <c>CVEs.txt</c>) loaded from a directory.
/// </summary>
public sealed partial class KernelCveTable
{
    private const string ResourceName = "Strata.Kernel.Data.kernel-escape-cves.json";

    private static readonly Lazy<KernelCveTable> BuiltInTable = new(LoadBuiltIn);

    private KernelCveTable(IReadOnlyList<KernelCve> cves, string source)
    {
        Cves = cves;
        Source = source;
    }

    /// <summary>CVE-2016-5195, CVE-2018-18955, CVE-2021-22555, CVE-2022-0185, CVE-2022-0492, CVE-2022-0847, CVE-2023-0386, CVE-2024-1086.</summary>
    public static KernelCveTable EscapeCves => BuiltInTable.Value;

    public IReadOnlyList<KernelCve> Cves { get; }

    /// <summary>Where the table came from, for messages.</summary>
    public string Source { get; }

    /// <summary>
    /// Loads the linux_kernel_cves dataset from <paramref name="directory"/>: <c>stream_fixes.json</c> (CVE → stable
    /// branch → first fixed release) and, when present, <c>CVEs.txt</c> (the upstream window of each CVE). Entries caused
    /// by a backport, vendor-specific ones (not in upstream code), and entries with no fix recorded anywhere are left
    /// out: an upstream version cannot judge them.
    /// </summary>
    /// <exception cref="StrataException">A missing or malformed file, named with the line or JSON path.</exception>
    public static KernelCveTable LoadDataset(string directory, Limits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        limits ??= Limits.Default;
        var streamFile = Path.Combine(directory, "stream_fixes.json");
        if (!File.Exists(streamFile))
        {
            throw StrataException.BadInput($"{directory}: no stream_fixes.json: not a linux_kernel_cves data directory.");
        }

        var streams = ReadStreamFixes(streamFile, limits);
        var windows = new Dictionary<string, (KernelVersion? Introduced, KernelVersion? Fix, bool Backport)>(StringComparer.Ordinal);
        var listFile = Path.Combine(directory, "CVEs.txt");
        if (File.Exists(listFile))
        {
            windows = ReadWindows(listFile, limits);
        }

        var cves = new List<KernelCve>();
        foreach (var id in streams.Keys.Union(windows.Keys).Order(StringComparer.Ordinal))
        {
            var window = windows.GetValueOrDefault(id);
            var fixes = streams.GetValueOrDefault(id) ?? new Dictionary<string, KernelVersion>(StringComparer.Ordinal);
            if (window.Backport || (window.Fix is null && fixes.Count == 0))
            {
                continue;
            }

            cves.Add(new KernelCve(id, window.Introduced, window.Fix, fixes));
        }

        return new KernelCveTable(cves, directory);
    }

    private static Dictionary<string, Dictionary<string, KernelVersion>> ReadStreamFixes(string file, Limits limits)
    {
        var text = BoundedFile.ReadAllText(file, limits.MaxDocumentBytes, "a kernel CVE data file", limitKey: BoundedFile.DocumentBytesKey);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{file}:{(e.LineNumber ?? 0) + 1}: malformed JSON: {Redaction.Quote(e.Message, 160)}", e);
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw StrataException.BadInput($"{file}: $: expected an object of CVE IDs.");
            }

            var result = new Dictionary<string, Dictionary<string, KernelVersion>>(StringComparer.Ordinal);
            foreach (var cve in json.RootElement.EnumerateObject())
            {
                if (!CveId().IsMatch(cve.Name) || cve.Value.ValueKind != JsonValueKind.Object)
                {
                    throw StrataException.BadInput($"{file}: $['{Redaction.Quote(cve.Name, 40)}']: expected a CVE ID mapping stable branches to fixes.");
                }

                var fixes = new Dictionary<string, KernelVersion>(StringComparer.Ordinal);
                foreach (var stream in cve.Value.EnumerateObject())
                {
                    var where = $"{file}: $['{cve.Name}']['{Redaction.Quote(stream.Name, 20)}']";
                    if (stream.Value.ValueKind != JsonValueKind.Object
                        || !stream.Value.TryGetProperty("fixed_version", out var fixedVersion)
                        || fixedVersion.ValueKind != JsonValueKind.String
                        || !KernelVersion.TryParse(fixedVersion.GetString(), out var version)
                        || version.Stream != stream.Name)
                    {
                        throw StrataException.BadInput($"{where}.fixed_version: expected a release of branch {Redaction.Quote(stream.Name, 20)}.");
                    }

                    fixes[stream.Name] = version;
                }

                result[cve.Name] = fixes;
            }

            return result;
        }
    }

    private static Dictionary<string, (KernelVersion? Introduced, KernelVersion? Fix, bool Backport)> ReadWindows(string file, Limits limits)
    {
        var result = new Dictionary<string, (KernelVersion?, KernelVersion?, bool)>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in BoundedFile.ReadAllText(file, limits.MaxDocumentBytes, "a kernel CVE data file", limitKey: BoundedFile.DocumentBytesKey).Split('\n'))
        {
            lineNumber++;
            if (!line.StartsWith("CVE-", StringComparison.Ordinal))
            {
                continue;
            }

            var match = WindowLine().Match(line.TrimEnd('\r'));
            if (!match.Success)
            {
                throw StrataException.BadInput($"{file}:{lineNumber}: expected 'CVE-ID: BREAKS - FIXES (vX to vY)', got '{Redaction.Quote(line, 80)}'.");
            }

            var id = match.Groups["id"].Value;
            if (match.Groups["backport"].Success || match.Groups["vendor"].Success)
            {
                result[id] = (null, null, true);
                continue;
            }

            result[id] = (Release(match.Groups["from"].Value), Release(match.Groups["to"].Value), false);
        }

        return result;
    }

    /// <summary>"v4.9-rc2" → 4.9.0; "unk" → null.</summary>
    private static KernelVersion? Release(string text) => KernelVersion.TryParse(text, out var version) ? version : null;

    private static KernelCveTable LoadBuiltIn()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing.");
        using var json = JsonDocument.Parse(stream);
        var cves = new List<KernelCve>();
        foreach (var item in json.RootElement.GetProperty("cves").EnumerateArray())
        {
            var fixes = item.GetProperty("streamFixes").EnumerateObject().ToDictionary(p => p.Name, p => KernelVersion.Parse(p.Value.GetString()!), StringComparer.Ordinal);
            cves.Add(new KernelCve(
                item.GetProperty("id").GetString()!,
                KernelVersion.Parse(item.GetProperty("introduced").GetString()!),
                KernelVersion.Parse(item.GetProperty("mainlineFix").GetString()!),
                fixes,
                item.GetProperty("name").GetString(),
                item.GetProperty("class").GetString(),
                Enum.Parse<Severity>(item.GetProperty("severity").GetString()!, ignoreCase: true)));
        }

        return new KernelCveTable(cves, "built-in");
    }

    [GeneratedRegex(@"^CVE-[0-9]{4}-[0-9]{4,7}$")]
    private static partial Regex CveId();

    [GeneratedRegex(@"^(?<id>CVE-[0-9]{4}-[0-9]{4,7}):\s(?:(?<vendor>Vendor Specific)|.*\((?:(?<backport>CVE Caused by Backporting)|(?<from>unk|v[0-9][0-9A-Za-z.-]*) to (?<to>unk|v[0-9][0-9A-Za-z.-]*))\))\s*$")]
    private static partial Regex WindowLine();
}
