namespace Strata.Oci.Layers;

using System.IO.Compression;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci.Model;
using Strata.Oci.Resolution;
using Strata.Oci.Sources;
using ZstdSharp;
using ZstdSharp.Unsafe;

/// <summary>Receives a layer's entries in tar order. <c>content</c> is set for regular files only, readable once, valid until the callback returns.</summary>
public delegate ValueTask LayerEntryCallback(LayerEntry entry, Stream? content, CancellationToken cancellationToken);

/// <summary>
/// Streams one layer: blob digest and size verified on the compressed bytes, diffID on the uncompressed bytes,
/// decompression bounded, each tar entry normalised and handed to a callback. Nothing is buffered beyond
/// fixed-size stream buffers. Verification completes when the whole blob has been read, so a callback's
/// side effects must be undone by the caller if this throws.
/// </summary>
public static class LayerReader
{
    private const int StreamBuffer = 128 * 1024;

    public static async Task ReadAsync(IImageSource source, ImageLayer layer, Limits limits, UncompressedBudget? budget, LayerEntryCallback onEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(onEntry);
        var what = layer.Describe();
        await using var raw = await source.OpenBlobAsync(layer.Descriptor, cancellationToken);
        await using var blob = new VerifyingStream(raw, layer.Descriptor.Digest, layer.Descriptor.Size, $"{what} blob", leaveOpen: true);
        await using var plain = await OpenPlainBlobAsync(layer, blob, what, cancellationToken);
        Stream decompressed = layer.Compression switch
        {
            LayerCompression.Gzip => new GZipStream(plain, CompressionMode.Decompress, leaveOpen: true),
            LayerCompression.Zstd => OpenZstd(plain),
            _ => new NonClosingReadStream(plain),
        };
        await using var guard = new DecompressionGuard(decompressed, () => blob.BytesRead, limits, budget, what);
        await using var diff = new VerifyingStream(guard, layer.DiffId, null, $"{what} uncompressed content (diffID)", leaveOpen: true);
        await using var buffered = new BufferedStream(diff, StreamBuffer);
        var tar = new TarStreamReader(buffered, limits, what);
        try
        {
            while (await tar.NextAsync(cancellationToken) is { } header)
            {
                var entry = ToEntry(header, what);
                if (entry is null)
                {
                    continue;
                }

                if (entry.Type == EntryType.File)
                {
                    await onEntry(entry, tar.OpenContent(), cancellationToken);
                }
                else
                {
                    await onEntry(entry, null, cancellationToken);
                }
            }

            // Whatever follows the end-of-archive blocks is part of the diffID and the blob digest.
            await DrainAsync(buffered, cancellationToken);
            await diff.DrainAsync(cancellationToken);
            if (plain is VerifyingStream decrypted)
            {
                await decrypted.DrainAsync(cancellationToken);
            }

            await blob.DrainAsync(cancellationToken);
        }
        catch (Exception error) when (error is StrataException or InvalidDataException or ZstdException or EndOfStreamException)
        {
            // A corrupt or truncated blob surfaces first as a tar or decompression error; report the blob's own
            // digest/size failure instead when there is one, since that is the root cause.
            try
            {
                await blob.DrainAsync(cancellationToken);
            }
            catch (StrataException blobError) when (blobError.Message.Contains("digest mismatch", StringComparison.Ordinal) || blobError.Message.Contains("truncated", StringComparison.Ordinal) || blobError.Message.Contains("more than the", StringComparison.Ordinal))
            {
                throw StrataException.BadInput(blobError.Message, error);
            }

            if (error is StrataException)
            {
                throw;
            }

            throw StrataException.BadInput($"{what}: corrupt compressed stream: {error.Message}", error);
        }
    }

    /// <summary>
    /// The blob as it was before encryption: the blob itself, or for an encrypted layer its decrypted plaintext, verified
    /// against the digest the private layer options give (a changed digest there fails here).
    /// </summary>
    private static async Task<Stream> OpenPlainBlobAsync(ImageLayer layer, VerifyingStream blob, string what, CancellationToken cancellationToken)
    {
        if (!layer.Encrypted)
        {
            return new NonClosingReadStream(blob);
        }

        var decryptor = layer.Decryptor
            ?? throw StrataException.BadInput($"{what} is encrypted ('{Redaction.Quote(layer.Descriptor.MediaType, 100)}'); give a key to decrypt it (--decryption-key).");
        var opened = await decryptor.OpenAsync(layer.Descriptor, new NonClosingReadStream(blob), what, cancellationToken);
        return new VerifyingStream(opened.Plaintext, opened.Digest, null, $"{what} decrypted blob (the digest its private options name)", leaveOpen: false);
    }

    /// <summary>Turns a tar header into an entry; null for entries that carry nothing (the root, aufs metadata).</summary>
    internal static LayerEntry? ToEntry(TarHeader header, string what)
    {
        var path = EntryPaths.Normalize(header.Name, what);
        if (path.Length == 0)
        {
            return null;
        }

        var name = EntryPaths.Name(path);
        var type = header.TypeFlag switch
        {
            '0' => EntryType.File,
            '1' => EntryType.HardLink,
            '2' => EntryType.Symlink,
            '3' => EntryType.CharDevice,
            '4' => EntryType.BlockDevice,
            '5' => EntryType.Directory,
            _ => EntryType.Fifo,
        };
        string? link = type switch
        {
            EntryType.Symlink => header.LinkName,
            EntryType.HardLink => EntryPaths.Normalize(header.LinkName, $"{what}: hard link '{Redaction.Quote(header.Name, 200)}'"),
            _ => null,
        };
        if (type == EntryType.HardLink && link is { Length: 0 })
        {
            throw StrataException.BadInput($"{what}: entry '{Redaction.Quote(header.Name, 200)}': hard link to the image root.");
        }

        if (name.StartsWith(EntryPaths.WhiteoutPrefix, StringComparison.Ordinal))
        {
            var parent = EntryPaths.Parent(path) ?? string.Empty;
            if (name == EntryPaths.OpaqueMarker)
            {
                type = EntryType.OpaqueWhiteout;
                path = parent;
            }
            else if (name.StartsWith(".wh..wh.", StringComparison.Ordinal))
            {
                // aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not content, ignored as Docker does.
                return null;
            }
            else
            {
                var deleted = name[EntryPaths.WhiteoutPrefix.Length..];
                if (deleted.Length == 0 || deleted is "." or "..")
                {
                    throw StrataException.BadInput($"{what}: entry '{Redaction.Quote(header.Name, 200)}': whiteout names no file.");
                }

                type = EntryType.Whiteout;
                path = EntryPaths.Join(parent, deleted);
            }

            link = null;
        }

        return new LayerEntry
        {
            Path = path,
            Type = type,
            RawName = header.Name,
            LinkTarget = link,
            Mode = header.Mode & 0xFFF,
            Uid = header.Uid,
            Gid = header.Gid,
            UserName = header.UserName,
            GroupName = header.GroupName,
            Size = type == EntryType.File ? header.Size : 0,
            ModifiedTime = header.ModifiedTime,
            DeviceMajor = header.DeviceMajor,
            DeviceMinor = header.DeviceMinor,
            Xattrs = header.Xattrs,
        };
    }

    private static DecompressionStream OpenZstd(Stream blob)
    {
        var stream = new DecompressionStream(blob, StreamBuffer, checkEndOfStream: true, leaveOpen: true);

        // Refuse frames that ask for a window above 128 MiB (zstd's default limit), so memory stays bounded.
        stream.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, 27);
        return stream;
    }

    private static async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(StreamBuffer);
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
