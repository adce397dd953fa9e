namespace Strata.Bench.Image;

using System.Buffers;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

/// <summary>What to generate: about <see cref="CompressedBytes"/> of gzip layers holding about <see cref="Files"/> regular files.</summary>
internal sealed record GeneratorSettings(long CompressedBytes, int Layers, int Files, ulong Seed)
{
    /// <summary>Bump when the output changes, so cached images are regenerated.</summary>
    public const int Version = 1;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"v{Version} size={CompressedBytes} layers={Layers} files={Files} seed={Seed}");
}

/// <summary>
/// Writes a synthetic image as an OCI layout, deterministic for given settings. It looks like a distro plus
/// application layers: a usrmerge base (bin -> usr/bin), packages of ~50 files in nested directories, file sizes
/// log-normal (median ~1.5 KiB, long tail, as in Debian's /usr), contents a mix (by bytes) of text (55%),
/// binary-like (35%) and incompressible data (10%), some symlinks and hard links, and later layers that overwrite
/// and delete (whiteouts, one opaque directory) files of earlier ones. Layers get decreasing shares of the image
/// (the base is the largest) and are gzipped at the default level, as docker and buildah do.
/// </summary>
internal static class ImageGenerator
{
    private const int FilesPerPackage = 50;
    private const int MaxFileBytes = 48 << 20;
    private static readonly DateTimeOffset Epoch = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] TopDirectories =
    [
        "usr/lib", "usr/lib/x86_64-linux-gnu", "usr/share", "usr/share/doc", "usr/lib/python3/dist-packages",
        "usr/include", "opt", "usr/share/locale", "usr/libexec", "srv/app/node_modules",
    ];

    private static readonly byte[] Idioms = IdiomTable();

    private static readonly string[] Extensions = [".so", ".py", ".txt", ".h", ".js", ".json", ".mo", ".gz", ".conf", ""];

    public static async Task GenerateAsync(string directory, GeneratorSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var vocabulary = Vocabulary(settings.Seed);
        var expansion = CalibrateExpansion(settings, vocabulary);
        var uncompressed = (long)(settings.CompressedBytes * expansion);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generating {settings}: expected expansion {expansion:0.00}, about {uncompressed >> 20} MiB uncompressed"));

        var weights = new double[settings.Layers];
        double total = 0;
        for (var i = 0; i < settings.Layers; i++)
        {
            weights[i] = settings.Layers + 2 - i;
            total += weights[i];
        }

        var results = new LayerResult[settings.Layers];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.Layers), parallel, async (index, token) =>
        {
            var plan = new LayerPlan(index, (int)Math.Max(1, settings.Files * weights[index] / total), (long)(uncompressed * weights[index] / total), settings.Seed);
            results[index] = await WriteLayerAsync(blobs, plan, vocabulary, token);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  layer {index}: {results[index].Entries} entries, {results[index].TarBytes >> 20} MiB tar, {results[index].BlobBytes >> 20} MiB gzip"));
        });

        var diffIds = new JsonArray();
        var history = new JsonArray();
        var layers = new JsonArray();
        long blobTotal = 0;
        long tarTotal = 0;
        foreach (var result in results)
        {
            diffIds.Add(result.DiffId);
            history.Add(new JsonObject { ["created_by"] = $"/bin/sh -c apt-get install -y packages-{result.Index}", ["created"] = "2024-06-01T00:00:00Z" });
            layers.Add(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip", ["digest"] = result.Digest, ["size"] = result.BlobBytes });
            blobTotal += result.BlobBytes;
            tarTotal += result.TarBytes;
        }

        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=/usr/local/bin:/usr/bin:/bin"), ["Cmd"] = new JsonArray("/bin/sh") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
            ["history"] = history,
        };
        var configDescriptor = WriteJsonBlob(blobs, config, "application/vnd.oci.image.config.v1+json");
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = configDescriptor,
            ["layers"] = layers,
        };
        var manifestDescriptor = WriteJsonBlob(blobs, manifest, "application/vnd.oci.image.manifest.v1+json");
        manifestDescriptor["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = "latest" };
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(Path.Combine(directory, "index.json"), new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(manifestDescriptor) }.ToJsonString());
        File.WriteAllText(Path.Combine(directory, "bench-params.txt"), settings + "\n");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {directory}: {settings.Layers} layers, {blobTotal} bytes compressed, {tarTotal} uncompressed"));
    }

    private static JsonObject WriteJsonBlob(string blobs, JsonObject document, string mediaType)
    {
        var bytes = Encoding.UTF8.GetBytes(document.ToJsonString());
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(blobs, hex), bytes);
        return new JsonObject { ["mediaType"] = mediaType, ["digest"] = "sha256:" + hex, ["size"] = bytes.Length };
    }

    private static async Task<LayerResult> WriteLayerAsync(string blobs, LayerPlan plan, byte[][] vocabulary, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(blobs, $"tmp-layer-{plan.Index}");
        LayerResult result;
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            using var compressed = new HashingWriteStream(file);
            using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            using (var tarBytes = new HashingWriteStream(gzip))
            {
                var entries = WriteTar(tarBytes, plan, vocabulary, cancellationToken);
                tarBytes.Flush();
                result = new LayerResult(plan.Index, "sha256:" + tarBytes.HashHex(), tarBytes.Length, entries, string.Empty, 0);
            }

            result = result with { Digest = "sha256:" + compressed.HashHex(), BlobBytes = compressed.Length };
        }

        File.Move(temporary, Path.Combine(blobs, result.Digest["sha256:".Length..]), overwrite: true);
        return result;
    }

    private static int WriteTar(Stream output, LayerPlan plan, byte[][] vocabulary, CancellationToken cancellationToken)
    {
        var rng = new Xoshiro(plan.Seed, (ulong)plan.Index, 0);
        var entries = 0;
        using var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        void Add(TarEntryType type, string path, string? link = null, int mode = 0x1ED, byte[]? content = null, int length = 0)
        {
            TarEntry entry = path.Length > 100 || (link?.Length ?? 0) > 100
                ? new PaxTarEntry(type, path)
                : new UstarTarEntry(type, path);
            entry.Mode = (UnixFileMode)mode;
            entry.ModificationTime = Epoch.AddSeconds(plan.Index * 3600);
            ((PosixTarEntry)entry).UserName = "root";
            ((PosixTarEntry)entry).GroupName = "root";
            if (link is not null)
            {
                entry.LinkName = link;
            }

            if (content is not null)
            {
                entry.DataStream = new MemoryStream(content, 0, length, writable: false);
            }

            tar.WriteEntry(entry);
            entries++;
        }

        var directories = new HashSet<string>(StringComparer.Ordinal);
        void Directories(string path)
        {
            var slash = path.LastIndexOf('/');
            if (slash <= 0 || !directories.Add(path[..slash]))
            {
                return;
            }

            Directories(path[..slash]);
            Add(TarEntryType.Directory, path[..slash] + "/");
        }

        if (plan.Index == 0)
        {
            foreach (var top in TopDirectories)
            {
                Directories(top + "/x");
            }

            foreach (var name in new[] { "etc", "var/lib", "var/log", "tmp", "root", "usr/bin", "usr/sbin", "usr/lib64" })
            {
                Directories(name + "/x");
            }

            // usrmerge, as in Debian 12 and Fedora.
            Add(TarEntryType.SymbolicLink, "bin", "usr/bin", 0x1FF);
            Add(TarEntryType.SymbolicLink, "sbin", "usr/sbin", 0x1FF);
            Add(TarEntryType.SymbolicLink, "lib", "usr/lib", 0x1FF);
            Add(TarEntryType.SymbolicLink, "lib64", "usr/lib64", 0x1FF);
        }

        // File sizes: log-normal, then scaled so the layer holds its share of the image.
        var sizes = new double[plan.Files];
        double sum = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            sizes[i] = Math.Min(MaxFileBytes, Math.Exp(Math.Log(1500) + (1.9 * rng.NextGaussian())));
            sum += sizes[i];
        }

        var scale = plan.Bytes / Math.Max(1, sum);
        var written = new long[Mix.Length];
        var buffer = ArrayPool<byte>.Shared.Rent(MaxFileBytes);
        try
        {
            for (var i = 0; i < plan.Files; i++)
            {
                if ((i & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var path = FilePath(plan.Seed, plan.Index, i);
                Directories(path);
                var roll = rng.NextDouble();
                if (roll < 0.03 && i % FilesPerPackage > 0)
                {
                    Add(TarEntryType.SymbolicLink, path, FileName(plan.Index, i - 1), 0x1FF);
                    continue;
                }

                if (roll < 0.035 && i % FilesPerPackage > 1)
                {
                    var earlier = FilePath(plan.Seed, plan.Index, i - 2);
                    Add(TarEntryType.HardLink, path, earlier, 0x1ED);
                    continue;
                }

                var size = (int)Math.Min(MaxFileBytes, sizes[i] * scale);
                var fileRng = new Xoshiro(plan.Seed, (ulong)plan.Index, (ulong)i + 1);
                Fill(buffer.AsSpan(0, size), NextKind(written, size), ref fileRng, vocabulary);
                Add(TarEntryType.RegularFile, path, null, roll < 0.2 ? 0x1ED : 0x1A4, buffer, size);
            }

            if (plan.Index > 0)
            {
                // Later layers also change what earlier ones wrote: overwrites (2%) and deletions (1%).
                for (var i = 0; i < plan.Files / 50; i++)
                {
                    var layer = (int)(rng.Next() % (ulong)plan.Index);
                    var index = (int)(rng.Next() % (ulong)Math.Max(1, plan.Files));
                    var path = FilePath(plan.Seed, layer, index);
                    Directories(path);
                    var size = (int)Math.Min(MaxFileBytes, sizes[index % sizes.Length] * scale);
                    var fileRng = new Xoshiro(plan.Seed, (ulong)plan.Index, 1_000_000_000UL + (ulong)i);
                    Fill(buffer.AsSpan(0, size), NextKind(written, size), ref fileRng, vocabulary);
                    Add(TarEntryType.RegularFile, path, null, 0x1A4, buffer, size);
                }

                for (var i = 0; i < plan.Files / 100; i++)
                {
                    var layer = (int)(rng.Next() % (ulong)plan.Index);
                    var path = FilePath(plan.Seed, layer, (int)(rng.Next() % (ulong)Math.Max(1, plan.Files)));
                    var slash = path.LastIndexOf('/');
                    Add(TarEntryType.RegularFile, path[..(slash + 1)] + ".wh." + path[(slash + 1)..], null, 0, buffer, 0);
                }

                // One directory of the previous layer replaced wholesale (an opaque whiteout).
                var opaque = FilePath(plan.Seed, plan.Index - 1, 0);
                opaque = opaque[..opaque.LastIndexOf('/')];
                Directories(opaque + "/x");
                Add(TarEntryType.RegularFile, opaque + "/.wh..wh..opq", null, 0, buffer, 0);
                Add(TarEntryType.RegularFile, opaque + "/replacement.txt", null, 0x1A4, buffer, 0);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return entries;
    }

    /// <summary>The path of file <paramref name="index"/> of a layer: a pure function, so later layers can name earlier layers' files.</summary>
    private static string FilePath(ulong seed, int layer, int index)
    {
        var package = index / FilesPerPackage;
        var top = TopDirectories[(int)(Xoshiro.Mix(seed ^ ((ulong)layer << 32) ^ (ulong)package) % (ulong)TopDirectories.Length)];
        var sub = index % FilesPerPackage % 4;
        var directory = sub == 0 ? $"{top}/pkg{layer:00}-{package:00000}" : $"{top}/pkg{layer:00}-{package:00000}/sub{sub}";
        return directory + "/" + FileName(layer, index);
    }

    private static string FileName(int layer, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"file{index % FilesPerPackage:00}-{layer}{Extensions[index % Extensions.Length]}");

    private enum ContentKind
    {
        Text,
        Binary,
        Random,
    }

    private static readonly (ContentKind Kind, double Share)[] Mix = [(ContentKind.Text, 0.55), (ContentKind.Binary, 0.35), (ContentKind.Random, 0.10)];

    /// <summary>Which kind the next file is: the one furthest below its share of the bytes so far, so the mix holds by bytes, not just by count.</summary>
    private static ContentKind NextKind(long[] written, long size)
    {
        long total = size;
        foreach (var count in written)
        {
            total += count;
        }

        var best = 0;
        var bestDeficit = double.MinValue;
        for (var i = 0; i < Mix.Length; i++)
        {
            var deficit = (Mix[i].Share * total) - written[i];
            if (deficit > bestDeficit)
            {
                best = i;
                bestDeficit = deficit;
            }
        }

        written[best] += size;
        return Mix[best].Kind;
    }

    private static void Fill(Span<byte> target, ContentKind kind, ref Xoshiro rng, byte[][] vocabulary)
    {
        switch (kind)
        {
            case ContentKind.Text:
                var position = 0;
                while (position < target.Length)
                {
                    // Zipf-like: a few words are very common, as in real text.
                    var pick = rng.Next();
                    var word = vocabulary[(int)((pick & 1023) >> (int)((pick >> 11) % 6))];
                    var take = Math.Min(word.Length, target.Length - position);
                    word.AsSpan(0, take).CopyTo(target[position..]);
                    position += take;
                    if (position < target.Length)
                    {
                        target[position++] = (rng.Next() & 15) == 0 ? (byte)'\n' : (byte)' ';
                    }
                }

                break;
            case ContentKind.Binary:
                // Machine-code-like: 15 in 16 32-byte chunks come from a small shared table (repeated idioms), the rest is noise.
                for (var offset = 0; offset < target.Length; offset += 32)
                {
                    var chunk = target.Slice(offset, Math.Min(32, target.Length - offset));
                    var pick = rng.Next();
                    if (pick % 16 != 0)
                    {
                        Idioms.AsSpan((int)((pick >> 8) & 1023) * 32, chunk.Length).CopyTo(chunk);
                        chunk[^1] = (byte)(pick >> 40);
                    }
                    else
                    {
                        rng.Fill(chunk);
                    }
                }

                break;
            default:
                rng.Fill(target);
                break;
        }
    }

    private static byte[] IdiomTable()
    {
        var rng = new Xoshiro(0x1D10, 0, 0);
        var table = new byte[1024 * 32];
        rng.Fill(table);
        return table;
    }

    /// <summary>Words of 2-10 letters, the vocabulary of text content.</summary>
    private static byte[][] Vocabulary(ulong seed)
    {
        var rng = new Xoshiro(seed, 0xFFFF, 0xFFFF);
        var words = new byte[4096][];
        for (var i = 0; i < words.Length; i++)
        {
            var word = new byte[2 + (int)(rng.Next() % 9)];
            for (var c = 0; c < word.Length; c++)
            {
                word[c] = (byte)('a' + (int)(rng.Next() % 26));
            }

            words[i] = word;
        }

        return words;
    }

    /// <summary>
    /// Gzips a small layer made like the real ones (same file-size distribution, content mix, headers, overwrites) to
    /// learn how many uncompressed content bytes make one compressed byte, so the image lands near its target size.
    /// </summary>
    private static double CalibrateExpansion(GeneratorSettings settings, byte[][] vocabulary)
    {
        const int SampleFiles = 2000;
        var planned = (long)(2.0 * settings.CompressedBytes / Math.Max(1, settings.Files) * SampleFiles);
        var plan = new LayerPlan(1, SampleFiles, planned, settings.Seed ^ 0xCA11B7A7E);
        using var compressed = new HashingWriteStream(Stream.Null);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            WriteTar(gzip, plan, vocabulary, CancellationToken.None);
        }

        return (double)planned / compressed.Length;
    }

    private sealed record LayerPlan(int Index, int Files, long Bytes, ulong Seed);

    private sealed record LayerResult(int Index, string DiffId, long TarBytes, int Entries, string Digest, long BlobBytes);
}
