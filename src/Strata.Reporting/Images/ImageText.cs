namespace Strata.Reporting.Images;

using System.Globalization;
using Strata.Core.Findings;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;

/// <summary>How the image writers spell sizes, modes, types and environment entries.</summary>
internal static class ImageText
{
    public static string EnvName(string variable) => variable.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? variable[..equals] : variable;

    /// <summary>Every value redacted, however harmless it looks: telling harmless from secret is the secret scanner's job.</summary>
    public static string EnvValue(string variable) =>
        variable.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? Redaction.Redact(variable[(equals + 1)..]) : string.Empty;

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB"),
    };

    public static string Platform(ResolvedImage image)
    {
        var config = image.Config;
        var platform = config.Variant is null ? $"{config.Os}/{config.Architecture}" : $"{config.Os}/{config.Architecture}/{config.Variant}";
        return image.SelectedPlatform is { } selected && selected.ToString() != platform ? $"{platform} (index entry says {selected})" : platform;
    }

    public static string TypeName(EntryType type) => type switch
    {
        EntryType.File => "file",
        EntryType.Directory => "directory",
        EntryType.Symlink => "symlink",
        EntryType.HardLink => "hardlink",
        EntryType.CharDevice => "char-device",
        EntryType.BlockDevice => "block-device",
        EntryType.Fifo => "fifo",
        EntryType.Whiteout => "whiteout",
        EntryType.OpaqueWhiteout => "opaque-whiteout",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static string Octal(int mode) => Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0');

    /// <summary>Image layer numbers, comma-separated, or "-".</summary>
    public static string ImageLayers(IReadOnlyList<int> layers) => layers.Count == 0 ? "-" : string.Join(',', layers);

    public static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
