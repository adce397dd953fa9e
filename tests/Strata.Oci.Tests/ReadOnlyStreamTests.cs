namespace Strata.Oci.Tests;

/// <summary>The one base of the reader's read-only streams refuses every write, seek and resize the same way.</summary>
public sealed class ReadOnlyStreamTests
{
    [Fact]
    public async Task Every_read_only_stream_refuses_writing_and_reads_through_every_overload()
    {
        var content = "hello, layers"u8.ToArray();
        var digest = Digest.Sha256Of(content);
        await using var stream = new VerifyingStream(new MemoryStream(content), digest, content.Length, "test blob");
        Assert.IsAssignableFrom<ReadOnlyStream>(stream);
        Assert.True(stream.CanRead);
        Assert.False(stream.CanWrite);
        Assert.False(stream.CanSeek);
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        Assert.Throws<NotSupportedException>(() => stream.WriteByte(1));
        await Assert.ThrowsAsync<NotSupportedException>(() => stream.WriteAsync(new byte[1]).AsTask());
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);

        var buffer = new byte[content.Length];
        Assert.Equal(5, stream.Read(buffer, 0, 5));
        Assert.Equal(5, stream.Position);
        Assert.Equal(content.Length - 5, await stream.ReadAsync(buffer.AsMemory(5)));
        Assert.Equal(0, await stream.ReadAsync(buffer.AsMemory()));
        Assert.Equal(content, buffer);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Read(buffer, 10, 10));
    }
}
