namespace Strata.Oci.FileSystem;

using System.Text;
using Strata.Oci.Layers;

/// <summary>
/// Holds a layer's entries (metadata only) until the layers before it are merged: serialised compactly in memory,
/// and past <see cref="MemoryBudget"/> in a private temporary file that disappears when closed, so a layer read
/// ahead of its turn costs no object per entry.
/// </summary>
internal sealed class EntrySpool : IDisposable
{
    /// <summary>Serialised bytes kept in memory before the spool moves to a temporary file.</summary>
    public const int MemoryBudget = 4 << 20;

    private Stream stream = new MemoryStream();
    private BinaryWriter writer;

    public EntrySpool() => writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);

    public int Count { get; private set; }

    public void Write(LayerEntry entry)
    {
        writer.Write(entry.Path);
        writer.Write((byte)entry.Type);
        writer.Write(entry.RawName);
        WriteOptional(entry.LinkTarget);
        writer.Write(entry.Mode);
        writer.Write(entry.Uid);
        writer.Write(entry.Gid);
        WriteOptional(entry.UserName);
        WriteOptional(entry.GroupName);
        writer.Write(entry.Size);
        writer.Write(entry.ModifiedTime.UtcTicks);
        writer.Write(entry.ModifiedTime.Offset.Ticks);
        writer.Write(entry.DeviceMajor);
        writer.Write(entry.DeviceMinor);
        writer.Write(entry.Xattrs?.Count ?? -1);
        foreach (var (key, value) in entry.Xattrs ?? new Dictionary<string, string>())
        {
            writer.Write(key);
            writer.Write(value);
        }

        Count++;
        if (stream is MemoryStream memory && memory.Length > MemoryBudget)
        {
            Spill(memory);
        }
    }

    /// <summary>Every entry written, in order; the spool is empty afterwards.</summary>
    public IEnumerable<LayerEntry> Drain()
    {
        writer.Flush();
        stream.Position = 0;
        using (var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true))
        {
            for (var i = 0; i < Count; i++)
            {
                yield return Read(reader);
            }
        }

        Count = 0;
        stream.SetLength(0);
    }

    public void Dispose()
    {
        writer.Dispose();
        stream.Dispose();
    }

    private static LayerEntry Read(BinaryReader reader)
    {
        var path = reader.ReadString();
        var type = (EntryType)reader.ReadByte();
        var raw = reader.ReadString();
        var link = ReadOptional(reader);
        var mode = reader.ReadInt32();
        var uid = reader.ReadInt64();
        var gid = reader.ReadInt64();
        var user = ReadOptional(reader);
        var group = ReadOptional(reader);
        var size = reader.ReadInt64();
        var ticks = reader.ReadInt64();
        var offset = new TimeSpan(reader.ReadInt64());
        var major = reader.ReadInt32();
        var minor = reader.ReadInt32();
        var count = reader.ReadInt32();
        Dictionary<string, string>? xattrs = null;
        if (count >= 0)
        {
            xattrs = new Dictionary<string, string>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                xattrs[reader.ReadString()] = reader.ReadString();
            }
        }

        return new LayerEntry
        {
            Path = path,
            Type = type,
            RawName = raw,
            LinkTarget = link,
            Mode = mode,
            Uid = uid,
            Gid = gid,
            UserName = user,
            GroupName = group,
            Size = size,
            ModifiedTime = new DateTimeOffset(ticks + offset.Ticks, offset),
            DeviceMajor = major,
            DeviceMinor = minor,
            Xattrs = xattrs,
        };
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private void WriteOptional(string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private void Spill(MemoryStream memory)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Options = FileOptions.DeleteOnClose,
            BufferSize = 64 * 1024,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(Path.Combine(Path.GetTempPath(), "strata-entries-" + Guid.NewGuid().ToString("N")), options);
        writer.Flush();
        memory.Position = 0;
        memory.CopyTo(file);
        writer.Dispose();
        memory.Dispose();
        stream = file;
        writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
    }
}
