namespace Strata.Fuzz.Targets;

using Strata.Core;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Strata.Oci;
using Strata.Oci.Model;
using Strata.Oci.Sources;

/// <summary>
/// A <c>docker save</c> archive whose <c>manifest.json</c> is the input. The archive around it is fixed and holds
/// what a manifest.json may name: <c>config.json</c>, an uncompressed layer at <c>a/layer.tar</c> (also at
/// <c>blobs/sha256/HEX</c>, as the seed blob-paths.json names it, and <c>c/layer.tar</c> is a symlink to it), a gzip layer at <c>b/layer.tar</c>.
/// </summary>
public sealed class DockerArchiveTarget : IFuzzTarget
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;
    private static readonly Lazy<Archive> Fixed = new(Archive.Build);

    public string Name => "docker-archive";

    public string Covers => "Oci/Sources/DockerArchiveSource (manifest.json: image selection, config, layer naming, LayerSources), TarArchiveFiles, the synthesized manifest";

    public async ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var path = ScratchDirectory.Write("docker-archive.tar", Fixed.Value.With(input));
        foreach (var wanted in new[] { null, "@1", "example" })
        {
            await ReadAsync(path, wanted, cancellationToken);
        }
    }

    private static async Task ReadAsync(string path, string? wanted, CancellationToken cancellationToken)
    {
        try
        {
            await using var source = await DockerArchiveSource.OpenAsync("docker-archive:fuzz", path, wanted, Limits.Default, cancellationToken);
            var top = await source.GetTopManifestAsync(cancellationToken);
            var manifest = ImageManifest.Parse(top.Bytes, top.MediaType, top.Origin);
            var buffer = new byte[16 * 1024];
            foreach (var descriptor in manifest.Layers.Prepend(manifest.Config))
            {
                await using var blob = await source.OpenBlobAsync(descriptor, cancellationToken);
                while (await blob.ReadAsync(buffer, cancellationToken) > 0)
                {
                }
            }
        }
        catch (Strata.Core.StrataException)
        {
            // Refused for this selection; the next one reads the same manifest.json another way.
        }
    }

    private sealed class Archive
    {
        private readonly byte[] prefix;

        private Archive(byte[] prefix)
        {
            this.prefix = prefix;
        }

        /// <summary>The fixed members, then manifest.json, then the end-of-archive blocks.</summary>
        public byte[] With(byte[] manifestJson)
        {
            using var buffer = new MemoryStream(prefix.Length + manifestJson.Length + 2048);
            buffer.Write(prefix);
            using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
            {
                writer.WriteEntry(File("manifest.json", manifestJson));
            }

            return buffer.ToArray();
        }

        public static Archive Build()
        {
            var plain = Tar(("etc/os-release", "ID=debian\nVERSION_ID=12\n"), ("app/run.sh", "#!/bin/sh\nexec /app/server\n"));
            var inner = Tar(("app/config.yaml", "password: hunter2\n"));
            byte[] gzip;
            using (var compressed = new MemoryStream())
            {
                using (var stream = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                {
                    stream.Write(inner);
                }

                gzip = compressed.ToArray();
            }

            var plainDigest = Digest.Sha256Of(plain);
            var config = Encoding.UTF8.GetBytes(
                $$"""{"architecture":"amd64","os":"linux","config":{"User":"app","Env":["PATH=/usr/bin"]},"rootfs":{"type":"layers","diff_ids":["{{plainDigest}}","{{Digest.Sha256Of(inner)}}"]},"history":[{"created_by":"ADD rootfs /"},{"created_by":"COPY config.yaml /app/"}]}""");
            using var archive = new MemoryStream();
            using (var writer = new TarWriter(archive, TarEntryFormat.Ustar, leaveOpen: true))
            {
                writer.WriteEntry(File("config.json", config));
                writer.WriteEntry(File("a/layer.tar", plain));
                writer.WriteEntry(File("b/layer.tar", gzip));
                writer.WriteEntry(File($"blobs/sha256/{plainDigest.Hex}", plain));
                writer.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, "c/layer.tar") { LinkName = "../a/layer.tar", ModificationTime = Epoch });
            }

            // TarWriter ends the archive with two zero blocks on dispose; manifest.json goes before them.
            return new Archive(archive.ToArray()[..^1024]);
        }

        private static byte[] Tar(params (string Name, string Text)[] files)
        {
            using var buffer = new MemoryStream();
            using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
            {
                foreach (var (name, text) in files)
                {
                    writer.WriteEntry(File(name, Encoding.UTF8.GetBytes(text)));
                }
            }

            return buffer.ToArray();
        }

        private static UstarTarEntry File(string name, byte[] content) =>
            new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content), ModificationTime = Epoch, Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
    }
}
