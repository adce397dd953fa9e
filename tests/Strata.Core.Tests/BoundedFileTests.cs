namespace Strata.Core.Tests;

using Strata.Core.Documents;
using Strata.Core.Ignoring;
using Strata.Core.Targets;
using Strata.Testing;

/// <summary>Special files where a file is expected: refused at once, never waited on, never read without a bound.</summary>
public sealed class BoundedFileTests : IDisposable
{
    private readonly TempDirectory temp = new("strata-bounded");

    public void Dispose() => temp.Dispose();

    public static TheoryData<string> Readers => ["bytes", "ignore file", "json", "yaml"];

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task A_fifo_is_refused_without_blocking_in_open(string reader)
    {
        // Nobody writes to this FIFO: opening it for reading without O_NONBLOCK would wait forever.
        var fifo = await SpecialFiles.MakeFifoAsync(temp.Combine("pipe.json"));
        var error = await Assert.ThrowsAsync<StrataException>(() => SpecialFiles.WithinHangLimit(() => Read(reader, fifo)));
        Assert.Equal(ExitCode.Usage, error.ExitCode);
        Assert.Contains(fifo, error.Message, StringComparison.Ordinal);
        Assert.Contains("FIFO", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task A_character_device_of_endless_zeros_is_refused(string reader)
    {
        // /dev/zero reports a length of 0: a check of the length alone let it be read until memory ran out.
        var error = await Assert.ThrowsAsync<StrataException>(() => SpecialFiles.WithinHangLimit(() => Read(reader, "/dev/zero")));
        Assert.Contains("/dev/zero: is a character device, not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_are_counted_as_they_arrive_from_a_stream_that_has_no_length()
    {
        using var endless = new EndlessStream();
        var error = Assert.Throws<StrataException>(() => BoundedFile.ReadAll(endless, 100_000, "pipe", "a document"));
        Assert.Equal("pipe: more than the 100000 bytes allowed for a document.", error.Message);
        Assert.InRange(endless.Served, 100_001, 100_001 + (64 * 1024));

        using var again = new EndlessStream();
        await Assert.ThrowsAsync<StrataException>(() => BoundedFile.ReadAllAsync(again, 10, "pipe", "a document", CancellationToken.None));

        // Exactly the bound is fine.
        using var exact = new MemoryStream(new byte[100_000]);
        Assert.Equal(100_000, BoundedFile.ReadAll(new NoLengthStream(exact), 100_000, "pipe", "a document").Length);
    }

    [Fact]
    public void A_regular_file_through_a_symlink_is_read()
    {
        var file = temp.WriteFile("real.yaml", "a: 1\n");
        File.CreateSymbolicLink(temp.Combine("link.yaml"), file);
        Assert.Equal("a: 1\n", BoundedFile.ReadAllText(temp.Combine("link.yaml")));
        Assert.Equal(ExitCode.Usage, Assert.Throws<StrataException>(() => BoundedFile.ReadAllBytes(temp.Combine("missing"))).ExitCode);
    }

    private static object Read(string reader, string path) => reader switch
    {
        "bytes" => BoundedFile.ReadAllBytes(path),
        "ignore file" => IgnoreFile.Load(path),
        "json" => JsonSource.Load(path),
        "yaml" => YamlSource.Load(path),
        _ => throw new ArgumentOutOfRangeException(nameof(reader)),
    };

    /// <summary>Zeros for ever, like /dev/zero or a pipe from <c>yes</c>; counts what it served.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream that hides its length, as a pipe does.</summary>
    private sealed class NoLengthStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
