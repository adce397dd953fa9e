namespace Strata.Images.Tests.BuildContext;

using Strata.Images.Dockerfile;
using Strata.Images.Dockerfile.Context;
using Strata.Testing;

/// <summary>
/// What COPY and ADD take from a real context directory, BuildKit's way: what the ignore file leaves, wildcards,
/// directories, destinations, links, <c>--exclude</c> and <c>--parents</c>. Each case lists what the image gets.
/// </summary>
public sealed class ContextCopiesTests : IDisposable
{
    private readonly TempDirectory temp = new("strata-context");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_directory_copy_takes_what_the_ignore_file_leaves()
    {
        Files("app.py", "tests/test_app.py", ".git/HEAD", "docs/a.md", "docs/keep.md", "logs/a.log", "logs/keep.log", "empty/");
        Write(".dockerignore", ".git\ndocs\n!docs/keep.md\n**/*.log\n!logs/keep.log\n");
        Assert.Equal(
            ["/app", "/app/.dockerignore", "/app/app.py", "/app/docs", "/app/docs/keep.md", "/app/empty", "/app/logs", "/app/logs/keep.log", "/app/tests", "/app/tests/test_app.py"],
            Copied("FROM scratch\nCOPY . /app/\n"));
    }

    [Fact]
    public void A_matched_directory_is_sent_only_when_an_exception_sends_something_in_it()
    {
        Files("logs/a.log", "cache/x/y.bin", "cache/x/keep.txt");
        Write(".dockerignore", "logs\ncache\n!cache/x/keep.txt\n");
        Assert.Equal(["/c", "/c/.dockerignore", "/c/cache", "/c/cache/x", "/c/cache/x/keep.txt"], Copied("FROM scratch\nCOPY . /c/\n"));
    }

    [Fact]
    public void A_directory_the_ignore_file_excludes_with_no_exception_inside_is_not_read()
    {
        Files("node_modules/a/index.js", "node_modules/b/index.js", "src/main.js");
        Write(".dockerignore", "node_modules\n!src\n");
        var context = Open();
        var copies = ContextCopies.Resolve(DockerfileParser.Parse("FROM scratch\nCOPY . /app/\n", "Dockerfile"), context);
        Assert.DoesNotContain(copies.Single().Paths, p => p.ImagePath.Contains("node_modules", StringComparison.Ordinal));

        // The root (3 entries) and src (1): node_modules is never listed.
        Assert.Equal(4, context.EntriesRead);
    }

    [Fact]
    public void A_wildcard_exception_makes_the_walk_enter_excluded_directories()
    {
        Files("docs/a.md", "docs/b.txt", "docs/sub/c.md");
        Write(".dockerignore", "docs\n!docs/**/*.md\n");
        Assert.Equal(["/d", "/d/.dockerignore", "/d/docs", "/d/docs/a.md", "/d/docs/sub", "/d/docs/sub/c.md"], Copied("FROM scratch\nCOPY . /d/\n"));
    }

    [Fact]
    public void Dockerfile_dockerignore_beside_the_Dockerfile_wins_over_the_context_one()
    {
        Files("a.txt", "b.txt");
        Write(".dockerignore", "a.txt\n");
        var dockerfile = temp.WriteFile("build/app.Dockerfile", "FROM scratch\nCOPY . /x/\n");
        temp.WriteFile("build/app.Dockerfile.dockerignore", "b.txt\n.dockerignore\n");
        var ignore = DockerignoreFile.Find(temp.Combine("ctx"), dockerfile);
        Assert.Equal(dockerfile + ".dockerignore", ignore.Path);
        Assert.Equal(["/x", "/x/a.txt"], Copied("FROM scratch\nCOPY . /x/\n", ignore));

        // An empty one reaches BuildKit as no content at all: the context's file applies.
        File.WriteAllText(dockerfile + ".dockerignore", string.Empty);
        Assert.Equal(temp.Combine("ctx", ".dockerignore"), DockerignoreFile.Find(temp.Combine("ctx"), dockerfile).Path);
    }

    [Fact]
    public void An_ignore_file_that_is_a_link_is_followed_inside_the_context_only()
    {
        Files("a.txt", "b.txt", "conf/ignore");
        Write("conf/ignore", "a.txt\n");
        File.CreateSymbolicLink(temp.Combine("ctx", ".dockerignore"), "conf/ignore");
        Assert.Equal(temp.Combine("ctx", "conf/ignore"), DockerignoreFile.Find(temp.Combine("ctx"), null).Path);

        // An absolute target is taken inside the context, as the builder takes it: nothing outside is read.
        temp.WriteFile("outside/.dockerignore", "b.txt\n");
        File.Delete(temp.Combine("ctx", ".dockerignore"));
        File.CreateSymbolicLink(temp.Combine("ctx", ".dockerignore"), temp.Combine("outside", ".dockerignore"));
        Assert.Null(DockerignoreFile.Find(temp.Combine("ctx"), null).Path);
        File.Delete(temp.Combine("ctx", ".dockerignore"));
        File.CreateSymbolicLink(temp.Combine("ctx", ".dockerignore"), "../outside/.dockerignore");
        Assert.Null(DockerignoreFile.Find(temp.Combine("ctx"), null).Path);
    }

    [Fact]
    public void Sources_are_relative_to_the_context_root_whatever_their_form()
    {
        Files("src/main.go", "go.mod");
        Assert.Equal(["/a", "/a/main.go"], Copied("FROM scratch\nCOPY /src /a\n"));
        Assert.Equal(["/b", "/b/main.go"], Copied("FROM scratch\nCOPY ../../src/ /b/\n"));
        Assert.Equal(["/c", "/c/go.mod", "/c/main.go"], Copied("FROM scratch\nCOPY ./src/../go.mod src /c/\n"));
    }

    [Fact]
    public void A_file_lands_in_a_directory_destination_or_becomes_the_destination()
    {
        Files("app.jar", "conf/app.yaml");
        Assert.Equal(["/opt", "/opt/app.jar"], Copied("FROM scratch\nCOPY app.jar /opt/\n"));
        Assert.Equal(["/opt", "/opt/service.jar"], Copied("FROM scratch\nCOPY app.jar /opt/service.jar\n"));
        Assert.Equal(["/srv", "/srv/app.jar"], Copied("FROM scratch\nWORKDIR /srv\nCOPY app.jar .\n"));
        Assert.Equal(["/srv", "/srv/lib", "/srv/lib/app.jar"], Copied("FROM scratch\nWORKDIR /srv\nCOPY app.jar lib/\n"));
        Assert.Equal(["/etc", "/etc/app", "/etc/app/app.yaml"], Copied("FROM scratch\nCOPY conf /etc/app\n"));

        // Into an image's existing directory (unknown without the image), the file may land inside it.
        var copy = Resolve("FROM debian:12\nCOPY app.jar /opt\n").Single();
        Assert.Equal("/opt/app.jar", copy.Paths.Single(p => p.Kind == CopiedKind.File).AlternativeImagePath);
        Assert.Null(Resolve("FROM debian:12\nWORKDIR /opt\nCOPY app.jar /opt\n").Single().Paths.Single(p => p.Kind == CopiedKind.File).AlternativeImagePath);
    }

    [Fact]
    public void Wildcards_match_one_level_per_element_and_a_matched_directory_is_copied_whole()
    {
        Files("a.txt", "b.txt", "c.md", "sub/d.txt", "dir1/x", "dir2/y", "dirz/z");
        Assert.Equal(["/w", "/w/a.txt", "/w/b.txt"], Copied("FROM scratch\nCOPY *.txt /w/\n"));
        Assert.Equal(["/w", "/w/d.txt"], Copied("FROM scratch\nCOPY */*.txt /w/\n"));
        Assert.Equal(["/w", "/w/x", "/w/y"], Copied("FROM scratch\nCOPY dir[0-9] /w/\n"));
        Assert.Equal(["/w", "/w/a.txt", "/w/b.txt", "/w/c.md"], Copied("FROM scratch\nCOPY ?.* /w/\n"));
        Assert.Equal([], Copied("FROM scratch\nCOPY *.none /w/\n"));
        Assert.Equal(["/w", "/w/a.txt", "/w/b.txt"], Copied("FROM scratch\nCOPY **.txt /w/\n"));
    }

    [Fact]
    public void Wildcards_do_not_see_what_the_ignore_file_excludes()
    {
        Files("a.txt", "secret.txt");
        Write(".dockerignore", "secret.txt\n");
        Assert.Equal(["/w", "/w/a.txt"], Copied("FROM scratch\nCOPY *.txt /w/\n"));
        var copy = Resolve("FROM scratch\nCOPY secret.txt /w/\n").Single();
        Assert.Empty(copy.Paths);
        Assert.Equal(["secret.txt"], copy.Missing);
    }

    [Fact]
    public void A_link_named_as_source_is_followed_inside_the_context_and_links_inside_a_directory_are_copied_as_links()
    {
        Files("real/a.txt", "real/b.txt", "top.txt");
        Directory.CreateSymbolicLink(temp.Combine("ctx", "alias"), "real");
        File.CreateSymbolicLink(temp.Combine("ctx", "real", "up"), "../top.txt");
        File.CreateSymbolicLink(temp.Combine("ctx", "passwd"), "/etc/passwd");
        Assert.Equal(["/l", "/l/a.txt", "/l/b.txt", "/l/up"], Copied("FROM scratch\nCOPY alias /l/\n"));
        var copy = Resolve("FROM scratch\nCOPY alias /l/\n").Single();
        Assert.Equal(CopiedKind.SymbolicLink, copy.Paths.Single(p => p.ImagePath == "/l/up").Kind);

        // An absolute link resolves inside the context, where there is no etc/passwd: not found, nothing read outside.
        Assert.Equal(["passwd"], Resolve("FROM scratch\nCOPY passwd /p\n").Single().Missing);
    }

    [Fact]
    public void Exclude_flags_apply_inside_each_source_but_not_to_a_file_source()
    {
        Files("src/a.go", "src/a_test.go", "src/pkg/b_test.go", "src/pkg/b.go", "main_test.go");
        Assert.Equal(["/s", "/s/a.go", "/s/pkg", "/s/pkg/b.go"], Copied("FROM scratch\nCOPY --exclude=*_test.go --exclude=**/*_test.go src /s/\n"));
        Assert.Equal(["/s", "/s/a.go", "/s/pkg", "/s/pkg/b.go", "/s/pkg/b_test.go"], Copied("FROM scratch\nCOPY --exclude=*_test.go src /s/\n"));
        Assert.Equal(["/s", "/s/main_test.go"], Copied("FROM scratch\nCOPY --exclude=*_test.go main_test.go /s/\n"));
        Assert.Equal(["/s", "/s/a_test.go", "/s/pkg", "/s/pkg/b_test.go"], Copied("FROM scratch\nCOPY --exclude=** --exclude=!**/*_test.go src /s/\n"));
    }

    [Fact]
    public void Parents_keeps_the_path_below_the_pivot()
    {
        Files("x/a/f.txt", "x/b/f.txt", "y/f.txt", "x/a/g.md");
        Assert.Equal(["/p", "/p/x", "/p/x/a", "/p/x/a/f.txt", "/p/x/b", "/p/x/b/f.txt"], Copied("FROM scratch\nCOPY --parents x/*/f.txt /p/\n"));
        Assert.Equal(["/p", "/p/a", "/p/a/f.txt", "/p/a/g.md"], Copied("FROM scratch\nCOPY --parents x/./a /p/\n"));
        Assert.Equal(["/p", "/p/x", "/p/x/a", "/p/x/a/f.txt", "/p/x/b", "/p/x/b/f.txt", "/p/y", "/p/y/f.txt"], Copied("FROM scratch\nCOPY --parents **/f.txt /p/\n"));
    }

    [Fact]
    public void What_is_not_the_context_is_left_out()
    {
        Files("a.tar.gz", "b.txt");
        var copies = Resolve("FROM alpine:3.20 AS base\nFROM scratch\nCOPY --from=base /etc/passwd /p\nADD https://example.com/x.tgz /x/\nCOPY <<EOF /h\nhello\nEOF\nADD a.tar.gz /opt/\nADD b.txt /opt/\n");
        var add = Assert.Single(copies, c => c.Instruction.Keyword == "ADD" && c.Instruction.StartLine == 8);
        Assert.Equal(["a.tar.gz"], add.Extracted);
        Assert.Empty(add.Paths);
        Assert.Equal(["/opt", "/opt/b.txt"], copies[^1].Paths.Select(p => p.ImagePath));
        Assert.Equal(2, copies.Count);
    }

    [Fact]
    public void A_stage_built_from_another_inherits_its_workdir_and_directories()
    {
        Files("a.txt");
        var copies = Resolve("FROM scratch AS base\nWORKDIR /srv\nFROM base\nCOPY a.txt .\nCOPY a.txt /srv\n");
        Assert.Equal("/srv/a.txt", copies[0].Paths[^1].ImagePath);
        Assert.Equal("/srv/a.txt", copies[1].Paths[^1].ImagePath);
    }

    [Fact]
    public void Without_the_context_only_the_named_sources_are_known()
    {
        var copies = ContextCopies.Resolve(DockerfileParser.Parse("FROM debian:12\nWORKDIR /app\nCOPY .npmrc package.json ./\nCOPY *.txt src /srv/\nCOPY . .\n", "Dockerfile"), null);
        Assert.Equal(["/app/.npmrc", "/app/package.json"], copies[0].Paths.Select(p => p.ImagePath));
        Assert.All(copies.SelectMany(c => c.Paths), p => Assert.Equal(CopiedKind.Unknown, p.Kind));
        Assert.Equal(["/srv/src"], copies[1].Paths.Select(p => p.ImagePath));
        Assert.Equal("/srv", copies[1].Paths[0].AlternativeImagePath);
        Assert.True(copies[2].CopiesDirectory);
    }

    [Fact]
    public void A_context_past_its_entry_limit_is_refused_naming_the_key()
    {
        Files("a", "b", "c", "d/e");
        var context = new SentContext(temp.Combine("ctx"), PathPatterns.None, maxEntries: 4);
        var error = Assert.Throws<Strata.Core.StrataException>(() => ContextCopies.Resolve(DockerfileParser.Parse("FROM scratch\nCOPY . /\n", "Dockerfile"), context));
        Assert.Contains("--limits context-entries=N", error.Message, StringComparison.Ordinal);
    }

    private void Files(params string[] paths)
    {
        foreach (var path in paths)
        {
            if (path.EndsWith('/'))
            {
                Directory.CreateDirectory(temp.Combine("ctx", path));
            }
            else
            {
                Write(path, path + "\n");
            }
        }
    }

    private void Write(string path, string content) => temp.WriteFile(Path.Combine("ctx", path), content);

    private SentContext Open(DockerignoreFile? ignore = null)
    {
        ignore ??= DockerignoreFile.Find(temp.Combine("ctx"), null);
        return new SentContext(temp.Combine("ctx"), ignore.Patterns, 10_000);
    }

    private IReadOnlyList<ContextCopy> Resolve(string dockerfile, DockerignoreFile? ignore = null) =>
        ContextCopies.Resolve(DockerfileParser.Parse(dockerfile, "Dockerfile"), Open(ignore));

    private string[] Copied(string dockerfile, DockerignoreFile? ignore = null) =>
        [.. Resolve(dockerfile, ignore).SelectMany(c => c.Paths).Select(p => p.ImagePath).Order(StringComparer.Ordinal)];
}
