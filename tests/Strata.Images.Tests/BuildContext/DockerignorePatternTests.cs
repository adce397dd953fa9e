namespace Strata.Images.Tests.BuildContext;

using Strata.Images.Dockerfile.Context;

/// <summary>
/// BuildKit's ignore-file semantics, case by case: how a line becomes a pattern, what one pattern matches, and how a
/// list of patterns with exceptions decides (the last pattern that matches wins; a matched directory takes what is in
/// it). Each row is a path relative to the context and whether the ignore file keeps it out.
/// </summary>
public sealed class DockerignorePatternTests
{
    public static TheoryData<string, string, bool> SinglePatterns => new()
    {
        // Plain names and directories.
        { "docs", "docs", true },
        { "docs", "docs/guide/intro.md", true },
        { "docs", "docs2", false },
        { "docs", "src/docs", false },
        { "docs/", "docs/a.md", true },
        { "/docs", "docs/a.md", true },
        { "./docs", "docs", true },
        { "docs//api/", "docs/api/x", true },
        { "docs/../src", "src/main.go", true },
        { "docs/../src", "docs/main.go", false },
        { "../secrets", "secrets", false },
        { "/../secrets", "secrets/k", true },
        { "  spaced  ", "spaced", true },

        // One star: any run of characters but '/'; a matched directory takes its content.
        { "*", "file", true },
        { "*", "dir/file", true },
        { "*.go", "main.go", true },
        { "*.go", "cmd/main.go", false },
        { "cmd/*.go", "cmd/main.go", true },
        { "cmd/*.go", "cmd/sub/main.go", false },
        { "*/*.go", "cmd/main.go", true },
        { "a*", "ab/c", true },
        { "*.log", ".log", true },

        // Double star: any number of directories, none included.
        { "**", "a/b/c", true },
        { "**/*.go", "main.go", true },
        { "**/*.go", "cmd/tool/main.go", true },
        { "**/*.go", "main.got", false },
        { "**/.env", ".env", true },
        { "**/.env", "services/api/.env", true },
        { "**/.env", "services/api/x.env", false },
        { "**/node_modules", "web/node_modules/react/index.js", true },
        { "a/**/b", "a/b", true },
        { "a/**/b", "a/x/y/b", true },
        { "a/**/b", "a/xb", false },
        { "a/**/b", "a/x/b/c", true },
        { "a/**", "a", false },
        { "a/**", "a/b", true },
        { "a/**", "a/b/c/d", true },
        { "a**", "abc", true },
        { "a**", "a/b", true },
        { "a**", "b/a", false },
        { "**x", "ax", true },
        { "**x", "dir/box", true },
        { "**/x", "ax", false },
        { "**/x", "dir/x", true },
        { "**/**/*.txt", "t.txt", true },
        { "**/**/*.txt", "a/b/t.txt", true },
        { "dist/**/*.map", "dist/app.js.map", true },
        { "dist/**/*.map", "dist/js/app.js.map", true },
        { "dist/**/*.map", "src/app.js.map", false },

        // Single characters and classes.
        { "?.txt", "a.txt", true },
        { "?.txt", "ab.txt", false },
        { "a?c", "a/c", false },
        { "[a-c]*", "banana", true },
        { "[a-c]*", "dog", false },
        { "[^a-c]*", "dog", true },
        { "[^a-c]*", "apple", false },
        { "[!a]*", "!x", true },
        { "[!a]*", "ax", true },
        { "[!a]*", "bx", false },
        { "v[0-9].[0-9]", "v1.2", true },
        { "v[0-9].[0-9]", "v1x2", false },
        { "[[:digit:]]*.log", "9.log", true },
        { "[[:digit:]]*.log", "x.log", false },

        // Escapes, and characters that mean something to a regular expression but not to a pattern.
        { "\\*.txt", "*.txt", true },
        { "\\*.txt", "a.txt", false },
        { "a\\?", "a?", true },
        { "a\\?", "ab", false },
        { "*.{js,ts}", "a.js", false },
        { "*.{js,ts}", "a.{js,ts}", true },
        { "a+b", "a+b", true },
        { "a+b", "aab", false },
        { "(x)|y", "(x)|y", true },
        { "(x)|y", "y", false },
        { "cost$", "cost$", true },
        { "a.b", "axb", false },
        { "a^b", "a^b", true },
        { "a^b*", "a^bc", false },
        { "\\d.log", "7.log", true },
        { "\\d.log", "d.log", false },
        { "[a\\]]x", "]x", true },

        // BuildKit leaves | { } unescaped: in a pattern with a wildcard they are regular-expression syntax.
        { "*.js|*.ts", "a.ts", true },
        { "*.js|*.ts", "dir/a.ts", true },
        { "*.js|*.ts", "a.jsx", true },
        { "*.js|*.ts", "a.py", false },
        { "a|b", "b", false },
        { "v?{2}", "vxx", true },
        { "v?{2}", "vx", false },
        { "x*{", "x{", true },
    };

    [Theory]
    [MemberData(nameof(SinglePatterns))]
    public void One_pattern_matches_as_BuildKit_matches_it(string line, string path, bool excluded)
    {
        var patterns = PathPatterns.Parse(DockerignoreFile.ReadPatterns(line));
        Assert.Equal(excluded, patterns.MatchesOrParentMatches(path));
        Assert.Equal(excluded, Walked(patterns, path));
    }

    public static TheoryData<string, string, bool> PatternLists => new()
    {
        { "*.md\n!README.md", "README.md", false },
        { "*.md\n!README.md", "CHANGES.md", true },
        { "*.md\n!README.md", "docs/CHANGES.md", false },
        { "!README.md\n*.md", "README.md", true },
        { "docs\n!docs/keep.md", "docs/keep.md", false },
        { "docs\n!docs/keep.md", "docs/drop.md", true },
        { "docs\n!docs/keep.md", "docs", true },
        { "*\n!src\nsrc/**/*_test.go", "src/pkg/a.go", false },
        { "*\n!src\nsrc/**/*_test.go", "src/pkg/a_test.go", true },
        { "*\n!src\nsrc/**/*_test.go", "README.md", true },
        { "**/*.log\n!important.log", "important.log", false },
        { "**/*.log\n!important.log", "logs/important.log", true },
        { "**/*.log\n!**/important.log", "logs/important.log", false },
        { "a\n!a/b", "a/b/c", false },
        { "a\n!a/b", "a/c", true },
        { "a\n!a/b\na/b/secret", "a/b/secret", true },
        { "a\n!a/b\na/b/secret", "a/b/public", false },
        { ".git\n.env*\n!.env.example", ".env.example", false },
        { ".git\n.env*\n!.env.example", ".env.production", true },
        { ".git\n.env*\n!.env.example", ".git/config", true },
        { "# a comment\n  # not a comment\nsecret", "# not a comment", true },
        { "# a comment\nsecret", "# a comment", false },
        { "! keep\n*", "keep", true },
        { "*\n!  keep  ", "keep", false },
        { "\uFEFFsecret\r\nother\r\n", "secret", true },
        { "\uFEFFsecret\r\nother\r\n", "other", true },
    };

    [Theory]
    [MemberData(nameof(PatternLists))]
    public void The_last_matching_pattern_wins_and_exceptions_send_files_back(string file, string path, bool excluded)
    {
        var patterns = PathPatterns.Parse(DockerignoreFile.ReadPatterns(file));
        Assert.Equal(excluded, patterns.MatchesOrParentMatches(path));
        Assert.Equal(excluded, Walked(patterns, path));
    }

    [Theory]
    [InlineData("/docs/", "docs")]
    [InlineData("!/docs/keep", "!docs/keep")]
    [InlineData("!  ./a/../b ", "!b")]
    [InlineData("a//b/./c/", "a/b/c")]
    [InlineData("/", "/")]
    [InlineData("..", "..")]
    [InlineData("/..", "/")]
    [InlineData("./", ".")]
    public void Lines_are_trimmed_cleaned_and_lose_one_leading_slash(string line, string pattern)
    {
        Assert.Equal([pattern], DockerignoreFile.ReadPatterns(line));
    }

    [Fact]
    public void Comments_blank_lines_and_a_byte_order_mark_are_skipped()
    {
        Assert.Equal(["a", "# b", "c"], DockerignoreFile.ReadPatterns("\uFEFF#x\na\n\n   \n # b\r\n\tc\t\n#"));
    }

    [Theory]
    [InlineData("!")]
    [InlineData("[")]
    [InlineData("a[b")]
    [InlineData("a\\")]
    [InlineData("[]a]")]
    [InlineData("[z-a]")]
    public void A_malformed_pattern_is_refused_as_BuildKit_refuses_it(string line)
    {
        Assert.Throws<FormatException>(() => PathPatterns.Parse(DockerignoreFile.ReadPatterns(line)));
    }

    /// <summary>Regular-expression escapes BuildKit accepts but Strata does not translate (no ignore file needs them): refused, so the context rules say they did not run.</summary>
    [Theory]
    [InlineData("\\pL*")]
    [InlineData("\\Qa*\\E")]
    [InlineData("\\12")]
    public void An_escape_Strata_does_not_translate_is_refused(string line)
    {
        Assert.Throws<FormatException>(() => PathPatterns.Parse(DockerignoreFile.ReadPatterns(line)));
    }

    [Fact]
    public void A_line_longer_than_BuildKit_reads_is_refused()
    {
        Assert.Throws<FormatException>(() => DockerignoreFile.ReadPatterns("a\n" + new string('x', 70_000)));
    }

    [Theory]
    [InlineData("a/b/../c", "a/c")]
    [InlineData("/a/./b/", "/a/b")]
    [InlineData("../../a", "../../a")]
    [InlineData("/../a", "/a")]
    [InlineData("a/..", ".")]
    [InlineData("", ".")]
    [InlineData("//", "/")]
    public void Paths_are_cleaned_as_Go_cleans_them(string path, string clean)
    {
        Assert.Equal(clean, GoPath.Clean(path));
    }

    [Theory]
    [InlineData("*.txt", "a.txt", true)]
    [InlineData("*.txt", "dir/a.txt", false)]
    [InlineData("*/a.txt", "dir/a.txt", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("a*", "a/b", false)]
    [InlineData("[^a]?", "bz", true)]
    [InlineData("[^a]?", "az", false)]
    [InlineData("\\[x]", "[x]", true)]
    [InlineData("**", "ab", true)]
    [InlineData("**", "a/b", false)]
    public void Copy_wildcards_match_one_path_level_per_element(string pattern, string name, bool matches)
    {
        Assert.Equal(matches, GoPath.Match(pattern, name));
    }

    /// <summary>The path matched the way a walk of the context matches it: each parent first, its result handed down.</summary>
    private static bool Walked(PathPatterns patterns, string path)
    {
        var state = MatchState.Unknown;
        var parts = path.Split('/');
        var matched = false;
        for (var i = 0; i < parts.Length; i++)
        {
            matched = patterns.Matches(string.Join('/', parts[..(i + 1)]), state, out state);
        }

        return matched;
    }
}
