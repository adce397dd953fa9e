namespace Strata.Oci.Tests;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Oci.Layers;
using Strata.Testing;

/// <summary>
/// GNU base-256 numeric fields: files of 8 GiB and more, ids above 2,097,151 and times past 2242 do not fit in octal.
/// The archives are sparse (headers at offsets, zeros between), so no test reads or writes gigabytes.
/// </summary>
public sealed class TarNumericFieldTests : IDisposable
{
    private const long EightGiBPlusOne = (8L << 30) + 1;
    private const long LargeId = 3_000_000_000;
    private const long FarFuture = 10_000_000_000; // 2286-11-20, past octal's 8^11 - 1 seconds
    private readonly TempDirectory temp = new("strata-tar256");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Base256_size_uid_gid_and_mtime_are_read_and_the_next_entry_follows_the_8_GiB_one()
    {
        var archive = BigArchive();
        var reader = new TarStreamReader(archive, Limits.Default, "test archive");

        var big = await reader.NextAsync(CancellationToken.None);
        Assert.NotNull(big);
        Assert.Equal("big.bin", big.Name);
        Assert.Equal(EightGiBPlusOne, big.Size);
        Assert.Equal(LargeId, big.Uid);
        Assert.Equal(LargeId + 1, big.Gid);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(FarFuture), big.ModifiedTime);

        // Skipping exactly the declared size plus padding lands on the next header.
        var next = await reader.NextAsync(CancellationToken.None);
        Assert.NotNull(next);
        Assert.Equal("after.txt", next.Name);
        using var content = new StreamReader(reader.OpenContent());
        Assert.Equal("hello", await content.ReadToEndAsync());
        Assert.Null(await reader.NextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_negative_mtime_is_a_date_before_1970_but_a_negative_size_or_uid_is_refused()
    {
        var header = Header("old.txt", size: Octal(0, 12), mtime: Base256(-100_000, 12));
        var old = await new TarStreamReader(new SparseArchive(header.Length + 1024, (0, header)), Limits.Default, "t").NextAsync(CancellationToken.None);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(-100_000), old!.ModifiedTime);

        foreach (var (field, bad) in new[] { ("size", Header("x", size: Base256(-1, 12))), ("uid", Header("x", uid: Base256(-5, 8))) })
        {
            var error = await Assert.ThrowsAsync<StrataException>(async () =>
                await new TarStreamReader(new SparseArchive(bad.Length + 1024, (0, bad)), Limits.Default, "t").NextAsync(CancellationToken.None));
            Assert.Contains($"{field} is negative", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, "does not fit in 64 bits")] // 2^64
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0 }, "does not fit in 64 bits")] // 2^63
    [InlineData(new byte[] { 0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "neither octal nor GNU base-256")]
    public async Task Base256_values_beyond_64_bits_or_with_an_unknown_marker_are_refused(byte[] size, string expected)
    {
        var header = Header("x", size: size);
        var error = await Assert.ThrowsAsync<StrataException>(async () =>
            await new TarStreamReader(new SparseArchive(header.Length + 1024, (0, header)), Limits.Default, "t").NextAsync(CancellationToken.None));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gnu_tar_lists_the_crafted_header_as_strata_reads_it()
    {
        // The same bytes as a sparse file on disk: GNU tar must agree on name, owner, size and time.
        var path = temp.Combine("crafted.tar");
        await using (var file = File.Create(path))
        {
            await BigArchive().CopySegmentsToAsync(file);
        }

        var listing = await ExternalTool.RunCheckedAsync("tar", "--numeric-owner", "--utc", "-tvf", path);
        var line = Assert.Single(listing.Split('\n'), l => l.Contains("big.bin", StringComparison.Ordinal));
        Assert.Contains($"{LargeId}/{LargeId + 1}", line, StringComparison.Ordinal);
        Assert.Contains(EightGiBPlusOne.ToString(CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        Assert.Contains("2286-11-20", line, StringComparison.Ordinal);
        Assert.Contains(listing.Split('\n'), l => l.EndsWith("after.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_header_gnu_tar_writes_for_an_8_GiB_file_is_read_as_gnu_tar_meant_it()
    {
        var big = temp.Combine("big.bin");
        await using (var file = File.Create(big))
        {
            file.SetLength(EightGiBPlusOne); // sparse: no disk space used
        }

        var header = await FirstBlockFromGnuTarAsync(temp.Path, "--format=gnu", $"--owner=big:{LargeId}", $"--group=big:{LargeId + 1}", $"--mtime=@{FarFuture}", "-cf", "-", "big.bin");
        Assert.Equal(0x80, header[124]); // GNU tar chose base-256 for the size
        var padded = (EightGiBPlusOne + 511) / 512 * 512;
        var entry = await new TarStreamReader(new SparseArchive(512 + padded + 1024, (0, header)), Limits.Default, "gnu tar").NextAsync(CancellationToken.None);
        Assert.NotNull(entry);
        Assert.Equal(EightGiBPlusOne, entry.Size);
        Assert.Equal(LargeId, entry.Uid);
        Assert.Equal(LargeId + 1, entry.Gid);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(FarFuture), entry.ModifiedTime);
    }

    /// <summary>big.bin (8 GiB + 1 of zeros, base-256 size, ids and time), then after.txt ("hello"), then the end blocks.</summary>
    private static SparseArchive BigArchive()
    {
        var big = Header("big.bin", size: Base256(EightGiBPlusOne, 12), uid: Base256(LargeId, 8), gid: Base256(LargeId + 1, 8), mtime: Base256(FarFuture, 12));
        var nextOffset = 512 + ((EightGiBPlusOne + 511) / 512 * 512);
        var after = Header("after.txt", size: Octal(5, 12));
        var content = new byte[512];
        "hello"u8.CopyTo(content);
        return new SparseArchive(nextOffset + 1024 + 1024, (0, big), (nextOffset, after), (nextOffset + 512, content));
    }

    private static byte[] Header(string name, byte[]? size = null, byte[]? uid = null, byte[]? gid = null, byte[]? mtime = null)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Octal(0x1A4, 8).CopyTo(header, 100);
        (uid ?? Octal(0, 8)).CopyTo(header, 108);
        (gid ?? Octal(0, 8)).CopyTo(header, 116);
        (size ?? Octal(0, 12)).CopyTo(header, 124);
        (mtime ?? Octal(0, 12)).CopyTo(header, 136);
        header[156] = (byte)'0';
        "ustar  \0"u8.CopyTo(header.AsSpan(257));
        "root"u8.CopyTo(header.AsSpan(265));
        "root"u8.CopyTo(header.AsSpan(297));
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = header.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }

    private static byte[] Octal(long value, int width) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(width - 1, '0') + "\0");

    /// <summary>GNU's base-256: the value in big-endian two's complement, first byte 0x80 (positive) or 0xFF (negative).</summary>
    private static byte[] Base256(long value, int width)
    {
        var field = new byte[width];
        for (var i = width - 1; i >= 1; i--)
        {
            field[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        field[0] = value < 0 ? (byte)0xFF : (byte)0x80;
        return field;
    }

    /// <summary>Runs GNU tar and keeps only the first 512-byte block of its output, then stops it (the body would be gigabytes).</summary>
    private static async Task<byte[]> FirstBlockFromGnuTarAsync(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("tar") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        try
        {
            var block = new byte[512];
            await process.StandardOutput.BaseStream.ReadExactlyAsync(block).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            return block;
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>A seekable archive of a given length that is zeros except for the blocks placed in it.</summary>
    private sealed class SparseArchive(long length, params (long Offset, byte[] Bytes)[] blocks) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => position;
            set => position = value;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Clamp(length - position, 0, count);
            var span = buffer.AsSpan(offset, n);
            span.Clear();
            foreach (var (start, bytes) in blocks)
            {
                var from = Math.Max(start, position);
                var to = Math.Min(start + bytes.Length, position + n);
                if (from < to)
                {
                    bytes.AsSpan((int)(from - start), (int)(to - from)).CopyTo(span[(int)(from - position)..]);
                }
            }

            position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };

        /// <summary>Writes the placed blocks at their offsets and sets the length: a sparse file with the same bytes.</summary>
        public async Task CopySegmentsToAsync(FileStream file)
        {
            file.SetLength(length);
            foreach (var (start, bytes) in blocks)
            {
                file.Position = start;
                await file.WriteAsync(bytes);
            }
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
