namespace Strata.Images.Tests.BuildContext;

using Strata.Images.Dockerfile;
using Strata.Images.Dockerfile.Context;
using Strata.Testing;

/// <summary>
/// Builds Dockerfiles and contexts with tricky ignore files with buildah (vfs, chroot isolation, FROM scratch so the
/// image holds only what the build copied), unpacks each image with umoci, and checks that its files are exactly what
/// Strata predicted the COPY and ADD instructions would bring. The file lists are cached under .test-cache.
/// </summary>
public sealed class BuildahContextTests
{
    /// <summary>One build: the context (paths; a trailing '/' is an empty directory, "link -> target" a symbolic link), its files, and the Dockerfile.</summary>
    public sealed record Build(string Name, string[] Entries, IReadOnlyDictionary<string, string> Files, string Dockerfile);

    private static readonly string[] ScratchDirectories = ["root", "run", "oci", "bundle", "context"];

    public static IReadOnlyList<Build> Builds { get; } =
    [
        new(
            "tricky-ignore",
            [
                ".git/HEAD", ".git/objects/ab", "secrets/key.pem", "tmp/t.txt", "build/out.bin",
                "logs/a.log", "logs/keep.log", "logs/sub/b.log", "app.log", "onlylogs/z.log",
                "docs/README.md", "docs/guide.md", "docs/api/ref.md",
                "node_modules/x/i.js", "web/node_modules/y/i.js", "web/index.js",
                "src/main.go", "src/main_test.go", "src/keep_test.go", "src/pkg/a.go", "src/pkg/a_test.go",
                "cache/tmp.bin", "cache/keep/k1", "cache/keep/deep/k2", "cache/other/o",
                ".env", ".env.local", ".env.example",
                "a.txt", "b.txt", "c.md", "dir1/x", "dir2/y", "conf/app.yaml", "empty/",
                "real/r.txt", "real/up -> ../a.txt", "alias -> real", "# hash.txt", "space dir/f",
            ],
            new Dictionary<string, string>
            {
                [".dockerignore"] = """
                    # a comment: the next line is a pattern with a leading space, not a comment
                      # hash.txt
                    .git
                    /secrets/
                    ./build/../tmp
                    build//
                    **/*.log
                    !logs/keep.log
                    docs
                    !docs/README.md
                    **/node_modules
                    src/**/*_test.go
                    !src/keep_test.go
                    cache/*
                    !cache/keep/**
                      .env*   
                    !.env.example

                    space?dir
                    """,
            },
            """
            FROM scratch
            COPY . /all/
            COPY *.txt /wild/
            COPY src /src-contents
            COPY dir* /multi/
            COPY alias /via-link/
            COPY conf/app.yaml /etc/app.yaml
            WORKDIR /w
            COPY a.txt .
            COPY logs/ /logs/
            COPY ["c.md", "/json form/"]
            """),
        new(
            "exceptions-last-wins",
            [
                "a/b/c/d.txt", "a/b/c/e.md", "a/b/f.txt", "a/g.txt", "x/y/z.txt", "x/keep/k.txt", "top.md", "README.md",
            ],
            new Dictionary<string, string>
            {
                [".dockerignore"] = "*\n!a\na/b\n!a/b/c\na/b/c/*.md\n!x/keep\n!README.md\n",
            },
            "FROM scratch\nCOPY . /ctx/\n"),
        new(
            "everything-but",
            ["src/app.py", "src/lib/util.py", "src/lib/__pycache__/util.pyc", "tests/test_app.py", "requirements.txt", "setup.cfg", "notes.txt"],
            new Dictionary<string, string>
            {
                [".dockerignore"] = "**\n!src\n!requirements.txt\n**/__pycache__\n",
            },
            "FROM scratch\nWORKDIR /app\nCOPY . .\nCOPY requirements.txt /req/\n"),
    ];

    /// <summary>
    /// Where buildah 1.28 and BuildKit differ: <c>**</c> followed by a name without a slash (<c>**x</c>). BuildKit takes
    /// it as "the path ends in x" (a fast path of its matcher), so it excludes <c>box</c>; buildah's older matcher takes
    /// it as "a last element named x". Strata follows BuildKit; the paths only buildah sends are listed.
    /// </summary>
    public static Build BuildahDiffers { get; } = new(
        "buildah-differs",
        ["box", "x", "barfoo", "zz", "logs/a.log", "cache/sub/c", "abcdef", "abcdir/f", "outside -> /etc/hostname", "etc/hostname"],
        new Dictionary<string, string> { [".dockerignore"] = "**x\n**foo\nlogs\n!logs/keep.log\ncache\n!cache/sub/none\nabc**" },
        "FROM scratch\nCOPY . /all/\nCOPY outside /o\n");

    public static TheoryData<string> BuildNames => [.. Builds.Select(b => b.Name)];

    [Theory]
    [MemberData(nameof(BuildNames))]
    public async Task The_image_buildah_builds_holds_what_Strata_predicted(string name)
    {
        var build = Builds.Single(b => b.Name == name);
        var built = await BuiltPathsAsync(build);
        using var temp = new TempDirectory("strata-predict");
        Write(build, temp.Path);
        var predicted = Predict(build, temp.Path);
        Assert.Equal(built, predicted);
    }

    [Fact]
    public async Task Buildah_differs_from_BuildKit_only_on_a_double_star_before_a_name()
    {
        var built = await BuiltPathsAsync(BuildahDiffers);
        using var temp = new TempDirectory("strata-predict");
        Write(BuildahDiffers, temp.Path);
        var predicted = Predict(BuildahDiffers, temp.Path);
        Assert.Equal(["/all/barfoo", "/all/box"], built.Except(predicted).Order(StringComparer.Ordinal));
        Assert.Empty(predicted.Except(built));

        // A link named as a source resolves inside the context in both: /o holds the context's etc/hostname.
        Assert.Contains("/o", predicted);
    }

    /// <summary>
    /// buildah 1.28 reads <c>Dockerfile.dockerignore</c> when it finds the Dockerfile in the context itself (not with
    /// <c>-f</c>), and then ignores <c>.dockerignore</c>, as BuildKit does.
    /// </summary>
    [Fact]
    public async Task Dockerfile_dockerignore_wins_over_dockerignore_in_buildah_as_in_Strata()
    {
        var build = new Build(
            "dockerfile-dockerignore",
            ["a.txt", "b.txt", "c.txt"],
            new Dictionary<string, string> { [".dockerignore"] = "a.txt\n", ["Dockerfile.dockerignore"] = "b.txt\n" },
            "FROM scratch\nCOPY . /all/\n");
        var built = await BuiltPathsAsync(build);
        Assert.Contains("/all/a.txt", built);
        Assert.DoesNotContain("/all/b.txt", built);
        using var temp = new TempDirectory("strata-predict");
        Write(build, temp.Path);
        Assert.Equal(built, Predict(build, temp.Path));
    }

    private static string[] Predict(Build build, string context)
    {
        var dockerfile = Path.Combine(context, "Dockerfile");
        var document = DockerfileParser.Load(dockerfile);
        var ignore = DockerignoreFile.Find(context, dockerfile);
        var copies = ContextCopies.Resolve(document, new SentContext(context, ignore.Patterns, 100_000));
        var workdirs = document.Stages.SelectMany(StageWalk.WithWorkdir).Select(i => i.Workdir);
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in copies.SelectMany(c => c.Paths).Select(p => p.ImagePath).Concat(workdirs))
        {
            for (var p = path; p.Length > 1; p = GoPath.Parent(p))
            {
                paths.Add(p);
            }
        }

        return [.. paths];
    }

    private static void Write(Build build, string directory)
    {
        foreach (var entry in build.Entries)
        {
            var arrow = entry.IndexOf(" -> ", StringComparison.Ordinal);
            var path = Path.Combine(directory, arrow < 0 ? entry : entry[..arrow]);
            Directory.CreateDirectory(Path.GetDirectoryName(path.TrimEnd('/'))!);
            if (arrow >= 0)
            {
                File.CreateSymbolicLink(path, entry[(arrow + 4)..]);
            }
            else if (entry.EndsWith('/'))
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                File.WriteAllText(path, entry + "\n");
            }
        }

        foreach (var (name, content) in build.Files)
        {
            File.WriteAllText(Path.Combine(directory, name), content.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        }

        File.WriteAllText(Path.Combine(directory, "Dockerfile"), build.Dockerfile + "\n");
    }

    /// <summary>Every path under a directory, links not followed.</summary>
    private static IEnumerable<string> Walk(string root, string relative)
    {
        foreach (var entry in new DirectoryInfo(Path.Combine(root, relative.TrimStart('/'))).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            var path = relative + "/" + entry.Name;
            yield return path;
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                foreach (var child in Walk(root, path))
                {
                    yield return child;
                }
            }
        }
    }

    /// <summary>Every path of the image buildah builds (absolute, sorted), from the cache or built now.</summary>
    private static async Task<string[]> BuiltPathsAsync(Build build)
    {
        var key = FixtureCache.Hash([build.Name, build.Dockerfile, .. build.Entries, .. build.Files.SelectMany(f => new[] { f.Key, f.Value }), "v1"]);
        var directory = await FixtureCache.GetOrCreateAsync($"context-buildah-{key}", async work =>
        {
            var context = Path.Combine(work, "context");
            Directory.CreateDirectory(context);
            Write(build, context);
            string[] storage = ["--storage-driver", "vfs", "--root", Path.Combine(work, "root"), "--runroot", Path.Combine(work, "run")];
            var tag = $"localhost/strata-context-{build.Name}:latest";
            try
            {
                // No -f: buildah then finds the Dockerfile in the context, and reads Dockerfile.dockerignore as BuildKit does.
                await ExternalTool.RunCheckedAsync("buildah", [.. storage, "bud", "--isolation", "chroot", "-t", tag, context]);
                await ExternalTool.RunCheckedAsync("buildah", [.. storage, "push", tag, $"oci:{Path.Combine(work, "oci")}:latest"]);
                await ExternalTool.RunCheckedAsync("umoci", "unpack", "--rootless", "--image", $"{Path.Combine(work, "oci")}:latest", Path.Combine(work, "bundle"));
                var rootfs = Path.Combine(work, "bundle", "rootfs");
                await File.WriteAllLinesAsync(Path.Combine(work, "paths.txt"), Walk(rootfs, string.Empty).Order(StringComparer.Ordinal));
            }
            finally
            {
                await ExternalTool.RunAsync("buildah", [.. storage, "rmi", "--all", "--force"]);
                foreach (var scratch in ScratchDirectories)
                {
                    if (Directory.Exists(Path.Combine(work, scratch)))
                    {
                        Directory.Delete(Path.Combine(work, scratch), recursive: true);
                    }
                }
            }
        });
        return await File.ReadAllLinesAsync(Path.Combine(directory, "paths.txt"));
    }
}
