namespace Strata.Oci.Layers;

using System.Buffers;
using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>One tar header with its PAX/GNU extensions applied, as stored (paths not yet normalised).</summary>
internal sealed class TarHeader
{
    public required string Name { get; init; }

    public required string LinkName { get; init; }

    public required char TypeFlag { get; init; }

    public required int Mode { get; init; }

    public required long Uid { get; init; }

    public required long Gid { get; init; }

    public required long Size { get; init; }

    public required DateTimeOffset ModifiedTime { get; init; }

    public string? UserName { get; init; }

    public string? GroupName { get; init; }

    public int DeviceMajor { get; init; }

    public int DeviceMinor { get; init; }

    public IReadOnlyDictionary<string, string>? Xattrs { get; init; }
}

/// <summary>
/// A forward-only tar reader (ustar, GNU long names, PAX) over any stream, with every header bounded.
/// It owns no content buffers: an entry's content is read through <see cref="OpenContent"/> straight
/// from the underlying stream, and whatever the caller leaves unread is skipped on the next call.
/// </summary>
internal sealed class TarStreamReader
{
    private const int BlockSize = 512;
    private readonly Stream stream;
    private readonly Limits limits;
    private readonly string what;
    private readonly byte[] header = new byte[BlockSize];

    // Nearly every entry names the same owner: one string per name, not per entry (it is kept for every path).
    private readonly RecentName userNames = new();
    private readonly RecentName groupNames = new();
    private Dictionary<string, string>? globalPax;
    private long remaining;
    private long padding;
    private long position;
    private int entries;

    /// <param name="what">Names the archive in errors, e.g. "layer 2 sha256:abc…".</param>
    public TarStreamReader(Stream stream, Limits limits, string what)
    {
        this.stream = stream;
        this.limits = limits;
        this.what = what;
    }

    /// <summary>Offset in the underlying stream of the current entry's content.</summary>
    public long DataOffset { get; private set; }

    /// <summary>The next entry, or null at the end of the archive.</summary>
    public async ValueTask<TarHeader?> NextAsync(CancellationToken cancellationToken)
    {
        await SkipAsync(remaining + padding, cancellationToken);
        remaining = padding = 0;

        string? longName = null;
        string? longLink = null;
        Dictionary<string, string>? pax = null;
        while (true)
        {
            if (!await ReadBlockAsync(cancellationToken))
            {
                return null;
            }

            if (IsZeroBlock(header))
            {
                return null;
            }

            if (++entries > limits.MaxEntriesPerLayer)
            {
                throw Limits.Exceeded(what, $"more than {limits.MaxEntriesPerLayer} tar entries", "layer-entries");
            }

            VerifyChecksum();
            var typeFlag = (char)header[156];
            var size = ParseNumber(header.AsSpan(124, 12), "size");
            if (size < 0)
            {
                throw StrataException.BadInput($"{what}: tar header at offset {position - BlockSize} has a negative size.");
            }

            switch (typeFlag)
            {
                case 'L':
                    longName = TrimNul(await ReadExtendedAsync(size, "GNU long name", cancellationToken));
                    continue;
                case 'K':
                    longLink = TrimNul(await ReadExtendedAsync(size, "GNU long link name", cancellationToken));
                    continue;
                case 'x':
                    pax = ParsePax(await ReadExtendedAsync(size, "PAX header", cancellationToken), pax);
                    continue;
                case 'g':
                    globalPax = ParsePax(await ReadExtendedAsync(size, "PAX global header", cancellationToken), globalPax);
                    continue;
                case 'V':
                    await SkipAsync(Padded(size), cancellationToken);
                    continue;
            }

            var isGnu = header.AsSpan(257, 8).SequenceEqual("ustar  \0"u8);
            var isUstar = header.AsSpan(257, 6).SequenceEqual("ustar\0"u8);
            var name = ReadString(header.AsSpan(0, 100));
            if (isUstar && header[345] != 0)
            {
                name = ReadString(header.AsSpan(345, 155)) + "/" + name;
            }

            var linkName = ReadString(header.AsSpan(157, 100));
            var mode = (int)(ParseNumber(header.AsSpan(100, 8), "mode") & 0xFFFFF);
            var uid = ParseNumber(header.AsSpan(108, 8), "uid");
            var gid = ParseNumber(header.AsSpan(116, 8), "gid");
            var mtime = (double)ParseNumber(header.AsSpan(136, 12), "mtime", allowNegative: true);
            string? userName = isUstar || isGnu ? userNames.Get(header.AsSpan(265, 32)) : null;
            string? groupName = isUstar || isGnu ? groupNames.Get(header.AsSpan(297, 32)) : null;
            var devMajor = isUstar || isGnu ? (int)ParseNumber(header.AsSpan(329, 8), "devmajor") : 0;
            var devMinor = isUstar || isGnu ? (int)ParseNumber(header.AsSpan(337, 8), "devminor") : 0;
            Dictionary<string, string>? xattrs = null;

            name = longName ?? name;
            linkName = longLink ?? linkName;
            foreach (var records in new[] { globalPax, pax })
            {
                if (records is null)
                {
                    continue;
                }

                foreach (var (key, value) in records)
                {
                    switch (key)
                    {
                        case "path": name = value; break;
                        case "linkpath": linkName = value; break;
                        case "size": size = PaxNumber(key, value); break;
                        case "uid": uid = PaxNumber(key, value); break;
                        case "gid": gid = PaxNumber(key, value); break;
                        case "uname": userName = value; break;
                        case "gname": groupName = value; break;
                        case "mtime":
                            mtime = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
                                ? seconds
                                : throw StrataException.BadInput($"{what}: entry '{Shorten(name)}': PAX mtime '{Shorten(value)}' is not a number.");
                            break;
                        default:
                            if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                            {
                                xattrs ??= new Dictionary<string, string>(StringComparer.Ordinal);
                                xattrs[key["SCHILY.xattr.".Length..]] = value;
                            }
                            else if (key.StartsWith("GNU.sparse.", StringComparison.Ordinal))
                            {
                                throw StrataException.BadInput($"{what}: entry '{Shorten(name)}': GNU sparse files are not supported.");
                            }

                            break;
                    }
                }
            }

            if (typeFlag is 'S' or 'M')
            {
                throw StrataException.BadInput($"{what}: entry '{Shorten(name)}': tar type '{typeFlag}' (GNU sparse/multi-volume) is not supported.");
            }

            if (Encoding.UTF8.GetByteCount(name) > limits.MaxPathBytes || Encoding.UTF8.GetByteCount(linkName) > limits.MaxPathBytes)
            {
                throw Limits.Exceeded($"{what}: entry '{Shorten(name)}'", $"path or link target longer than {limits.MaxPathBytes} bytes", "path-bytes");
            }

            // Only regular files carry content; other types' size fields are ignored, as GNU tar does, but still skipped.
            var hasContent = typeFlag is '0' or '\0' or '7';
            DataOffset = position;
            remaining = hasContent ? size : 0;
            padding = hasContent ? Padded(size) - size : (typeFlag is '1' or '2' or '3' or '4' or '5' or '6' ? 0 : Padded(size));
            if (typeFlag is not ('0' or '\0' or '7' or '1' or '2' or '3' or '4' or '5' or '6'))
            {
                throw StrataException.BadInput($"{what}: entry '{Shorten(name)}': unknown tar entry type '{Printable(typeFlag)}'.");
            }

            return new TarHeader
            {
                Name = name,
                LinkName = linkName,
                TypeFlag = typeFlag == '\0' || typeFlag == '7' ? '0' : typeFlag,
                Mode = mode,
                Uid = uid,
                Gid = gid,
                Size = hasContent ? size : 0,
                ModifiedTime = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Clamp(mtime * 1000, -62135596800000d, 253402300799000d)),
                UserName = userName,
                GroupName = groupName,
                DeviceMajor = devMajor,
                DeviceMinor = devMinor,
                Xattrs = xattrs,
            };
        }
    }

    /// <summary>The current entry's content: a stream bounded to its size, readable once, not to be disposed by the reader's owner.</summary>
    public Stream OpenContent() => new ContentStream(this);

    private async ValueTask<byte[]> ReadExtendedAsync(long size, string kind, CancellationToken cancellationToken)
    {
        if (size > limits.MaxExtendedHeaderBytes)
        {
            throw Limits.Exceeded(what, $"{kind} at offset {position - BlockSize} is {size} bytes, more than the {limits.MaxExtendedHeaderBytes} allowed", "tar-header-bytes");
        }

        var data = new byte[size];
        await ReadExactAsync(data, cancellationToken);
        await SkipAsync(Padded(size) - size, cancellationToken);
        return data;
    }

    private Dictionary<string, string> ParsePax(byte[] data, Dictionary<string, string>? into)
    {
        var records = into ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var offset = 0;
        while (offset < data.Length)
        {
            var space = Array.IndexOf(data, (byte)' ', offset);
            if (space < 0 || !int.TryParse(data.AsSpan(offset, space - offset), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space - offset + 1 || length > data.Length - offset || data[offset + length - 1] != (byte)'\n')
            {
                throw StrataException.BadInput($"{what}: malformed PAX record at byte {offset} of the PAX header before offset {position}.");
            }

            var record = data.AsSpan(space + 1, offset + length - space - 2);
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw StrataException.BadInput($"{what}: malformed PAX record at byte {offset} of the PAX header before offset {position} (no key=value).");
            }

            records[Encoding.UTF8.GetString(record[..equals])] = Encoding.UTF8.GetString(record[(equals + 1)..]);
            offset += length;
        }

        return records;
    }

    private long PaxNumber(string key, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw StrataException.BadInput($"{what}: PAX {key} '{Shorten(value)}' is not a non-negative integer.");

    private void VerifyChecksum()
    {
        long unsigned = 0;
        long signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        var stored = ParseNumber(header.AsSpan(148, 8), "checksum");
        if (stored != unsigned && stored != signed)
        {
            throw StrataException.BadInput($"{what}: tar header at offset {position - BlockSize} has a bad checksum (not a tar archive, or corrupt).");
        }
    }

    private long ParseNumber(ReadOnlySpan<byte> field, string name, bool allowNegative = false)
    {
        if ((field[0] & 0x80) != 0)
        {
            return ParseBase256(field, name, allowNegative);
        }

        long result = 0;
        var i2 = 0;
        while (i2 < field.Length && field[i2] is (byte)' ' or 0)
        {
            i2++;
        }

        for (; i2 < field.Length && field[i2] is >= (byte)'0' and <= (byte)'7'; i2++)
        {
            if (result > (long.MaxValue >> 3))
            {
                throw StrataException.BadInput($"{what}: tar header at offset {position - BlockSize}: {name} overflows.");
            }

            result = (result << 3) | (uint)(field[i2] - '0');
        }

        for (; i2 < field.Length; i2++)
        {
            if (field[i2] is not ((byte)' ' or 0))
            {
                throw StrataException.BadInput($"{what}: tar header at offset {position - BlockSize}: {name} field is not an octal number.");
            }
        }

        return result;
    }

    /// <summary>
    /// GNU base-256, for numbers octal cannot hold (sizes of 8 GiB and more, large ids and times): the first byte is
    /// 0x80 for a positive number, 0xFF for a negative one, and the whole field is the number in big-endian two's
    /// complement with that top bit as the marker. GNU tar accepts no other first byte.
    /// </summary>
    private long ParseBase256(ReadOnlySpan<byte> field, string name, bool allowNegative)
    {
        var negative = field[0] == 0xFF;
        if (field[0] != 0x80 && !negative)
        {
            throw StrataException.BadInput($"{what}: tar header at offset {position - BlockSize}: {name} field is neither octal nor GNU base-256 (first byte 0x{field[0]:x2}).");
        }

        if (negative && !allowNegative)
        {
            throw StrataException.BadInput($"{what}: tar header at offset {position - BlockSize}: {name} is negative.");
        }

        // The bytes beyond the last eight must only extend the sign; the last eight are the two's complement value.
        var sign = negative ? (byte)0xFF : (byte)0x00;
        var digits = field[1..];
        var extension = digits.Length > 8 ? digits[..^8] : [];
        var value = digits.Length > 8 ? digits[^8..] : digits;
        long result = negative ? -1 : 0;
        foreach (var b in value)
        {
            result = (result << 8) | b;
        }

        if (extension.ContainsAnyExcept(sign) || (digits.Length >= 8 && (result < 0) != negative))
        {
            throw StrataException.BadInput($"{what}: tar header at offset {position - BlockSize}: {name} does not fit in 64 bits.");
        }

        return result;
    }

    private async ValueTask<bool> ReadBlockAsync(CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < BlockSize)
        {
            var n = await stream.ReadAsync(header.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                if (read == 0)
                {
                    // A missing end-of-archive marker is tolerated, as GNU tar does.
                    return false;
                }

                throw StrataException.BadInput($"{what}: truncated tar header at offset {position}.");
            }

            read += n;
            position += n;
        }

        return true;
    }

    private async ValueTask ReadExactAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            var n = await stream.ReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                throw StrataException.BadInput($"{what}: truncated tar archive at offset {position}.");
            }

            position += n;
            buffer = buffer[n..];
        }
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return;
        }

        if (stream.CanSeek)
        {
            if (stream.Position + count > stream.Length)
            {
                throw StrataException.BadInput($"{what}: truncated tar archive at offset {position}.");
            }

            stream.Seek(count, SeekOrigin.Current);
            position += count;
            return;
        }

        // Larger than the layer reader's stream buffer, so big skips read straight through it instead of copying twice.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(count, 256 * 1024));
        try
        {
            while (count > 0)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(count, buffer.Length)), cancellationToken);
                if (n == 0)
                {
                    throw StrataException.BadInput($"{what}: truncated tar archive at offset {position}.");
                }

                count -= n;
                position += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long Padded(long size) => (size + BlockSize - 1) / BlockSize * BlockSize;

    private static bool IsZeroBlock(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    private static string ReadString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static string TrimNul(byte[] data)
    {
        var end = Array.IndexOf(data, (byte)0);
        return Encoding.UTF8.GetString(data, 0, end < 0 ? data.Length : end);
    }

    private static string Printable(char c) => c is >= ' ' and < (char)127 ? c.ToString() : "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => Redaction.Quote(text, 200);

    private sealed class ContentStream(TarStreamReader reader) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            if (reader.remaining == 0 || buffer.Length == 0)
            {
                return 0;
            }

            var n = reader.stream.Read(buffer[..(int)Math.Min(buffer.Length, reader.remaining)]);
            return Account(n);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (reader.remaining == 0 || buffer.Length == 0)
            {
                return 0;
            }

            var n = await reader.stream.ReadAsync(buffer[..(int)Math.Min(buffer.Length, reader.remaining)], cancellationToken);
            return Account(n);
        }

        private int Account(int n)
        {
            if (n == 0)
            {
                throw StrataException.BadInput($"{reader.what}: truncated tar archive at offset {reader.position} ({reader.remaining} bytes of an entry missing).");
            }

            reader.remaining -= n;
            reader.position += n;
            return n;
        }
    }
}

/// <summary>Reuses the string decoded for a tar name field while the field's bytes stay the same.</summary>
internal sealed class RecentName
{
    private readonly byte[] bytes = new byte[32];
    private int length = -1;
    private string value = string.Empty;

    public string Get(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        var name = end < 0 ? field : field[..end];
        if (name.Length != length || !name.SequenceEqual(bytes.AsSpan(0, length)))
        {
            if (name.Length > bytes.Length)
            {
                return Encoding.UTF8.GetString(name);
            }

            name.CopyTo(bytes);
            length = name.Length;
            value = Encoding.UTF8.GetString(name);
        }

        return value;
    }
}
