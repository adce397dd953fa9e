namespace Strata.Testing.Images;

using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

/// <summary>
/// A multi-layer image built once with buildah (COPY + busybox RUN steps: deletions, symlinks, a hard link,
/// setuid/setgid, overwritten files) plus one hand-made layer (an opaque directory, a deleted directory, a
/// directory replaced by a file, a hard link within the layer), copied with skopeo into every local format,
/// and unpacked with umoci as the reference tree. Cached under .test-cache keyed by the recipe's hash; several
/// test assemblies share it, so the build holds a lock file and only one process builds.
/// Each test assembly declares its own collection for it (xunit finds collection definitions only there).
/// </summary>
public sealed class BuiltImageFixture : IAsyncLifetime
{
    public const string Tag = "localhost/strata-oci-test:latest";

    private const string Containerfile = """
        FROM scratch
        COPY busybox /bin/busybox
        COPY rootfs/ /
        RUN ["/bin/busybox", "sh", "-c", "set -e; B=/bin/busybox; $B rm /etc/token.txt; $B rm -rf /opaque; $B mkdir /opaque; $B echo new > /opaque/new; $B ln -s ../etc/app.conf /data/conf.link; $B ln -s /etc /etclink; $B cp /bin/busybox /bin/tool; $B chmod 4755 /bin/tool; $B mkdir -p /srv/g; $B chmod 2775 /srv/g; $B touch /empty; $B echo same > /bin/x1; $B ln /bin/x1 /bin/x2"]
        RUN ["/bin/busybox", "sh", "-c", "set -e; B=/bin/busybox; $B echo v2 > /etc/app.conf; $B head -c 1000 /dev/zero > /data/big.bin; $B mkdir -p /usr/share/doc; $B echo doc > /usr/share/doc/readme"]
        """;

    public const string Secret = "AKIAIOSFODNN7EXAMPLE-fixture-secret";

    private const int Version = 1;

    public string Directory { get; private set; } = string.Empty;

    /// <summary>Transport references of the same image in each local format.</summary>
    public IReadOnlyDictionary<string, string> References => new Dictionary<string, string>
    {
        ["oci"] = $"oci:{Path.Combine(Directory, "oci")}:latest",
        ["oci-zstd"] = $"oci:{Path.Combine(Directory, "oci-zstd")}:latest",
        ["oci-archive"] = $"oci-archive:{Path.Combine(Directory, "image.oci.tar")}:latest",
        ["docker-archive"] = $"docker-archive:{Path.Combine(Directory, "image.docker.tar")}:{Tag}",
        ["dir"] = $"dir:{Path.Combine(Directory, "dir")}",
    };

    public string UmociRootfs => Path.Combine(Directory, "umoci", "rootfs");

    public async Task InitializeAsync()
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Containerfile + Version)))[..16];
        Directory = Path.Combine(RepoPaths.TestCache, "oci-local-images-" + key);
        if (File.Exists(Path.Combine(Directory, "complete")))
        {
            return;
        }

        await using var gate = await LockAsync(Directory + ".lock");
        if (File.Exists(Path.Combine(Directory, "complete")))
        {
            return;
        }

        var work = Directory + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        System.IO.Directory.CreateDirectory(work);
        try
        {
            await BuildAsync(work);
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }

            System.IO.Directory.Move(work, Directory);
        }
        catch
        {
            System.IO.Directory.Delete(work, recursive: true);
            throw;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An exclusive lock file (flock on Linux), held by one process at a time; waits up to 15 minutes.</summary>
    private static async Task<FileStream> LockAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static async Task BuildAsync(string work)
    {
        var context = Path.Combine(work, "context");
        System.IO.Directory.CreateDirectory(Path.Combine(context, "rootfs", "etc"));
        System.IO.Directory.CreateDirectory(Path.Combine(context, "rootfs", "data"));
        System.IO.Directory.CreateDirectory(Path.Combine(context, "rootfs", "opaque"));
        File.Copy("/bin/busybox", Path.Combine(context, "busybox"));
        File.WriteAllText(Path.Combine(context, "rootfs", "etc", "app.conf"), "v1\n");
        File.WriteAllText(Path.Combine(context, "rootfs", "etc", "token.txt"), Secret + "\n");
        File.WriteAllBytes(Path.Combine(context, "rootfs", "data", "big.bin"), DeterministicBytes(65536));
        File.WriteAllText(Path.Combine(context, "rootfs", "opaque", "old1"), "a\n");
        File.WriteAllText(Path.Combine(context, "rootfs", "opaque", "old2"), "b\n");
        File.WriteAllText(Path.Combine(context, "Containerfile"), Containerfile);

        var storage = Path.Combine(work, "storage");
        string[] buildah = ["--storage-driver", "vfs", "--root", Path.Combine(storage, "root"), "--runroot", Path.Combine(storage, "run")];
        try
        {
            await ExternalTool.RunCheckedAsync("buildah", [.. buildah, "bud", "--layers", "--isolation", "chroot", "-f", Path.Combine(context, "Containerfile"), "-t", Tag, context]);
            await ExternalTool.RunCheckedAsync("buildah", [.. buildah, "push", Tag, $"oci:{Path.Combine(work, "oci")}:latest"]);
        }
        finally
        {
            await ExternalTool.RunAsync("buildah", [.. buildah, "rmi", "--all", "--force"]);
            System.IO.Directory.Delete(storage, recursive: true);
            System.IO.Directory.Delete(context, recursive: true);
        }

        AppendHandMadeLayer(Path.Combine(work, "oci"));
        var oci = $"oci:{Path.Combine(work, "oci")}:latest";
        await ExternalTool.RunCheckedAsync("skopeo", "copy", oci, $"oci-archive:{Path.Combine(work, "image.oci.tar")}:latest");
        await ExternalTool.RunCheckedAsync("skopeo", "copy", oci, $"docker-archive:{Path.Combine(work, "image.docker.tar")}:{Tag}");
        await ExternalTool.RunCheckedAsync("skopeo", "copy", oci, $"dir:{Path.Combine(work, "dir")}");
        await ExternalTool.RunCheckedAsync("skopeo", "copy", "--dest-compress-format", "zstd", oci, $"oci:{Path.Combine(work, "oci-zstd")}:latest");
        await ExternalTool.RunCheckedAsync("umoci", "unpack", "--rootless", "--image", $"{Path.Combine(work, "oci")}:latest", Path.Combine(work, "umoci"));
        File.WriteAllText(Path.Combine(work, "complete"), "ok");
    }

    /// <summary>Adds the layer buildah's vfs driver cannot make (it never writes opaque whiteouts).</summary>
    private static void AppendHandMadeLayer(string layout)
    {
        var tar = OciLayoutWriter.Tar(writer =>
        {
            OciLayoutWriter.AddEntry(writer, TarEntryType.Directory, "opaque/");
            OciLayoutWriter.AddEntry(writer, TarEntryType.RegularFile, "opaque/.wh..wh..opq", mode: 0);
            OciLayoutWriter.AddFile(writer, "opaque/fresh", "fresh\n");
            OciLayoutWriter.AddEntry(writer, TarEntryType.RegularFile, "usr/share/.wh.doc", mode: 0);
            OciLayoutWriter.AddFile(writer, "srv/g", "now a file\n", 0x1A4);
            OciLayoutWriter.AddFile(writer, "bin/h1", "hard\n", 0x1ED);
            OciLayoutWriter.AddEntry(writer, TarEntryType.HardLink, "bin/h2", "bin/h1");
        });
        var layer = OciLayoutWriter.Gzip(tar, "strata test: opaque dir, deleted dir, dir replaced by file, hard link");
        var writer = new OciLayoutWriter(layout);
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        var manifestDigest = (string)index["manifests"]![0]!["digest"]!;
        var manifest = JsonNode.Parse(File.ReadAllBytes(writer.BlobPath(manifestDigest)))!.AsObject();
        var config = JsonNode.Parse(File.ReadAllBytes(writer.BlobPath((string)manifest["config"]!["digest"]!)))!.AsObject();
        config["rootfs"]!["diff_ids"]!.AsArray().Add(layer.DiffId);
        config["history"]!.AsArray().Add(new JsonObject { ["created_by"] = layer.CreatedBy });
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        manifest["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = writer.WriteBlob(configBytes), ["size"] = configBytes.Length };
        manifest["layers"]!.AsArray().Add(new JsonObject { ["mediaType"] = layer.MediaType, ["digest"] = writer.WriteBlob(layer.Blob), ["size"] = layer.Blob.Length });
        writer.WriteIndex((writer.Describe(Encoding.UTF8.GetBytes(manifest.ToJsonString()), "application/vnd.oci.image.manifest.v1+json"), "latest"));
    }

    private static byte[] DeterministicBytes(int count)
    {
        var data = new byte[count];
        var block = SHA256.HashData("strata"u8);
        for (var offset = 0; offset < count; offset += block.Length)
        {
            block = SHA256.HashData(block);
            block.AsSpan(0, Math.Min(block.Length, count - offset)).CopyTo(data.AsSpan(offset));
        }

        return data;
    }
}
