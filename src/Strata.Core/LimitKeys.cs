namespace Strata.Core;

using System.Globalization;

/// <summary>What a limit's value is: a size in bytes, a count, or a ratio.</summary>
public enum LimitUnit
{
    Bytes,
    Count,
    Ratio,
}

/// <summary>One key of <c>--limits</c>: its name, what it bounds, and the <see cref="Limits"/> property it sets.</summary>
public sealed class LimitKey
{
    private readonly Func<Limits, double> get;
    private readonly Func<Limits, double, Limits> set;

    internal LimitKey(string name, LimitUnit unit, double maximum, string meaning, Func<Limits, double> get, Func<Limits, double, Limits> set)
    {
        Name = name;
        Unit = unit;
        Maximum = maximum;
        Meaning = meaning;
        this.get = get;
        this.set = set;
    }

    /// <summary>The key as written on the command line, e.g. <c>document-bytes</c>.</summary>
    public string Name { get; }

    public LimitUnit Unit { get; }

    /// <summary>The largest value the property can hold.</summary>
    public double Maximum { get; }

    /// <summary>What it bounds, in one sentence.</summary>
    public string Meaning { get; }

    public double ValueIn(Limits limits) => get(limits);

    /// <summary>The value as docs and messages show it: 16 MiB, 1000000, 1000.</summary>
    public string Format(Limits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var value = get(limits);
        return Unit == LimitUnit.Bytes ? LimitKeys.FormatBytes((long)value) : value.ToString("0.###", CultureInfo.InvariantCulture);
    }

    internal Limits With(Limits limits, double value) => set(limits, value);
}

/// <summary>
/// The keys of <c>--limits KEY=VALUE[,KEY=VALUE…]</c>, each once, in the order docs/LIMITS.md and <c>strata limits</c>
/// list them; and the parsing of that option.
/// </summary>
public static class LimitKeys
{
    /// <summary>The most a document read whole into memory may be given: 1 GiB.</summary>
    private const long InMemory = 1L << 30;

    public static IReadOnlyList<LimitKey> All { get; } =
    [
        Bytes("document-bytes", "Largest JSON or YAML document read: a Kubernetes manifest, a seccomp profile, a runtime config.", l => l.MaxDocumentBytes, (l, v) => l with { MaxDocumentBytes = v }, InMemory),
        Count("document-depth", "Deepest nesting of a JSON or YAML document (documents, image manifests and configs).", l => l.MaxDepth, (l, v) => l with { MaxDepth = v }, 10_000),
        Count("document-nodes", "Most nodes (values, mappings, sequences) in one JSON or YAML document; a Kubernetes List counts each item on its own, as items are read one at a time.", l => l.MaxNodes, (l, v) => l with { MaxNodes = v }),
        Count("documents-per-file", "Most YAML documents (separated by ---) in one file.", l => l.MaxDocumentsPerFile, (l, v) => l with { MaxDocumentsPerFile = v }),
        Count("findings-per-rule", "Findings listed per rule and target; the rest are folded into one summary finding of that rule that says how many more there were.", l => l.MaxFindingsPerRule, (l, v) => l with { MaxFindingsPerRule = v }),
        Bytes("manifest-bytes", "Largest image manifest or index.", l => l.MaxManifestBytes, (l, v) => l with { MaxManifestBytes = v }, InMemory),
        Bytes("config-bytes", "Largest image config.", l => l.MaxConfigBytes, (l, v) => l with { MaxConfigBytes = v }, InMemory),
        Count("index-depth", "Deepest chain of image indexes nested in one another.", l => l.MaxIndexDepth, (l, v) => l with { MaxIndexDepth = v }),
        Count("layers", "Most layers in one image.", l => l.MaxLayers, (l, v) => l with { MaxLayers = v }),
        Bytes("layer-bytes", "Most bytes one layer may expand to when decompressed.", l => l.MaxLayerUncompressedBytes, (l, v) => l with { MaxLayerUncompressedBytes = v }),
        Bytes("image-bytes", "Most bytes all layers of an image may expand to together.", l => l.MaxImageUncompressedBytes, (l, v) => l with { MaxImageUncompressedBytes = v }),
        Ratio("compression-ratio", "Largest decompressed/compressed size ratio of a layer (checked past compression-ratio-grace).", l => l.MaxCompressionRatio, (l, v) => l with { MaxCompressionRatio = v }),
        Bytes("compression-ratio-grace", "Decompressed bytes of a layer read before its compression ratio is checked.", l => l.CompressionRatioGraceBytes, (l, v) => l with { CompressionRatioGraceBytes = v }),
        Count("layer-entries", "Most tar entries in one layer or image archive.", l => l.MaxEntriesPerLayer, (l, v) => l with { MaxEntriesPerLayer = v }),
        IntBytes("path-bytes", "Longest tar entry path or link target, in UTF-8 bytes.", l => l.MaxPathBytes, (l, v) => l with { MaxPathBytes = v }),
        IntBytes("tar-header-bytes", "Largest tar PAX extended header or GNU long name.", l => l.MaxExtendedHeaderBytes, (l, v) => l with { MaxExtendedHeaderBytes = v }),
        IntBytes("buffered-file-bytes", "Largest file of an image held in memory while several checks read it (a larger one goes to a private temporary file; nothing is refused).", l => l.MaxBufferedFileBytes, (l, v) => l with { MaxBufferedFileBytes = v }),
        Count("context-entries", "Most files and directories read from the build context of one Dockerfile (strata scan --context); past it the build-context rules are not evaluated and a warning says so.", l => l.MaxContextEntries, (l, v) => l with { MaxContextEntries = v }),
        Bytes("context-bytes", "Most bytes of the files a build copies from its context read for the secret rules; files past it are not read and a warning says so.", l => l.MaxContextBytes, (l, v) => l with { MaxContextBytes = v }),
    ];

    /// <summary>The key named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static LimitKey? Find(string name) => All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Applies <c>KEY=VALUE[,KEY=VALUE…]</c> texts (each may hold several, comma-separated) over <paramref name="defaults"/>.
    /// An unknown key or a bad value is a usage error naming it (with the nearest key for a typo).
    /// </summary>
    public static Limits Parse(IEnumerable<string> texts, Limits defaults)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(defaults);
        var limits = defaults;
        foreach (var pair in texts.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals].Trim();
            var key = Find(name);
            if (key is null)
            {
                var near = NearestName.Find(name, All.Select(k => k.Name));
                throw StrataException.Usage($"--limits {pair}: unknown limit '{name}'{(near is null ? string.Empty : $"; did you mean {near}?")} ('strata limits' lists every key).");
            }

            if (equals < 0)
            {
                throw StrataException.Usage($"--limits {pair}: expected {key.Name}=VALUE, e.g. {key.Name}={Example(key)}.");
            }

            var text = pair[(equals + 1)..].Trim();
            if (!TryParseValue(text, key.Unit, out var value) || value <= 0 || value > key.Maximum || (key.Unit == LimitUnit.Ratio && value < 1))
            {
                throw StrataException.Usage($"--limits {key.Name}={text}: {Expected(key)}, e.g. {key.Name}={Example(key)}.");
            }

            limits = key.With(limits, value);
        }

        return limits;
    }

    /// <summary>
    /// A size or count: digits, optionally followed by k, M, G, T (powers of 1000) or Ki, Mi, Gi, Ti, KiB, MiB, GiB, TiB
    /// (powers of 1024; a trailing B is optional, K means Ki). A ratio is a decimal number.
    /// </summary>
    public static bool TryParseValue(string text, LimitUnit unit, out double value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        if (unit == LimitUnit.Ratio)
        {
            return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }

        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        double? multiplier = text[digits..].Trim() switch
        {
            "" or "B" => 1,
            "k" or "kB" => 1e3,
            "M" or "MB" => 1e6,
            "G" or "GB" => 1e9,
            "T" or "TB" => 1e12,
            "K" or "Ki" or "KiB" or "KB" => 1L << 10,
            "Mi" or "MiB" => 1L << 20,
            "Gi" or "GiB" => 1L << 30,
            "Ti" or "TiB" => 1L << 40,
            _ => null,
        };
        if (multiplier is null || (unit == LimitUnit.Count && text[digits..].Trim().EndsWith('B')))
        {
            return false;
        }

        value = number * multiplier.Value;
        return true;
    }

    /// <summary>Bytes as the docs write them: 16 MiB, 4096 (exact values only).</summary>
    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => Limits.Number(bytes >> 30) + " GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => Limits.Number(bytes >> 20) + " MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => Limits.Number(bytes >> 10) + " KiB",
        _ => Limits.Number(bytes),
    };

    private static string Expected(LimitKey key) => key.Unit switch
    {
        LimitUnit.Bytes => $"expected a size in bytes from 1 to {Limits.Number((long)key.Maximum)}, with an optional suffix (k, M, G or KiB, MiB, GiB)",
        LimitUnit.Count => $"expected a whole number from 1 to {Limits.Number((long)key.Maximum)} (k and M suffixes allowed)",
        _ => "expected a number of at least 1",
    };

    private static string Example(LimitKey key) => key.Unit switch
    {
        LimitUnit.Bytes => "64MiB",
        LimitUnit.Count => "2000",
        _ => "2000",
    };

    private static LimitKey Bytes(string name, string meaning, Func<Limits, long> get, Func<Limits, long, Limits> set, long maximum = long.MaxValue / 2) =>
        new(name, LimitUnit.Bytes, maximum, meaning, l => get(l), (l, v) => set(l, (long)v));

    private static LimitKey IntBytes(string name, string meaning, Func<Limits, int> get, Func<Limits, int, Limits> set) =>
        new(name, LimitUnit.Bytes, int.MaxValue, meaning, l => get(l), (l, v) => set(l, (int)v));

    private static LimitKey Count(string name, string meaning, Func<Limits, int> get, Func<Limits, int, Limits> set, int maximum = int.MaxValue) =>
        new(name, LimitUnit.Count, maximum, meaning, l => get(l), (l, v) => set(l, (int)v));

    private static LimitKey Ratio(string name, string meaning, Func<Limits, double> get, Func<Limits, double, Limits> set) =>
        new(name, LimitUnit.Ratio, double.MaxValue, meaning, get, set);
}
