namespace Strata.Secrets.Tests;

using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Testing;

public sealed class SecretScannerTests
{
    private static readonly string GitHubToken = "ghp_" + new string([.. "q7Lm2XcV9rT4bN8wZ1sK6dF3hJ5gP037bwgm".Take(36)]);

    [Fact]
    public async Task A_secret_across_a_chunk_boundary_is_found_once_and_the_stream_is_read_once()
    {
        var scanner = new SecretScanner(options: new SecretScanOptions { ChunkBytes = 4096 });
        for (var shift = -40; shift <= 8; shift += 4)
        {
            // Filler lines up to just before the 4 KiB boundary, the token across it, then three more boundaries.
            var text = new StringBuilder();
            while (text.Length < 4096 + shift - 13)
            {
                text.Append("filler line\n");
            }

            var tokenLine = text.ToString().Count(c => c == '\n') + 1;
            text.Append("GITHUB_TOKEN=").Append(GitHubToken).Append('\n');
            while (text.Length < 20000)
            {
                text.Append("more filler\n");
            }

            var secondLine = text.ToString().Count(c => c == '\n') + 1;
            text.Append("token: ").Append(SecretTokens.WithChecksum("ghp_", GitHubToken[4..34].Replace('q', 'w'))).Append('\n');
            var bytes = Encoding.ASCII.GetBytes(text.ToString());
            using var stream = new CountingStream(bytes);
            var result = await scanner.ScanAsync(stream, "/app/boundary.txt");

            Assert.Equal(bytes.Length, stream.BytesRead);
            var lines = result.Matches.Select(m => (m.Rule.Id, m.Line)).ToList();
            Assert.Equal([("SEC-GITHUB-CLASSIC-PAT", tokenLine), ("SEC-GITHUB-CLASSIC-PAT", secondLine)], lines);
            Assert.Equal(14, result.Matches[0].Column);
        }
    }

    [Fact]
    public async Task Binary_files_are_skipped_unless_their_name_says_text()
    {
        var content = Encoding.ASCII.GetBytes("\0\u0001\u0002ELF GITHUB_TOKEN=" + GitHubToken + "\n");
        var binary = await BuiltInSecrets.Scanner.ScanAsync(new MemoryStream(content), "/usr/bin/tool");
        Assert.Equal(SecretFileDisposition.Binary, binary.Disposition);
        Assert.Empty(binary.Matches);

        var named = await BuiltInSecrets.Scanner.ScanAsync(new MemoryStream(content), "/app/.env");
        Assert.Equal(SecretFileDisposition.Scanned, named.Disposition);
        Assert.Single(named.Matches);
    }

    [Fact]
    public async Task A_binary_file_is_read_only_as_far_as_its_probe()
    {
        var content = new byte[4 * 1024 * 1024];
        "\u007fELF"u8.CopyTo(content);
        using var stream = new CountingStream(content);
        var result = await BuiltInSecrets.Scanner.ScanAsync(stream, "/usr/lib/libbig.so");
        Assert.Equal(SecretFileDisposition.Binary, result.Disposition);
        Assert.Equal(8192, stream.BytesRead);
    }

    [Fact]
    public async Task A_file_read_whole_is_scanned_later_on_another_thread_after_its_stream_is_closed()
    {
        var content = Encoding.ASCII.GetBytes("GITHUB_TOKEN=" + GitHubToken + "\n");
        PendingSecretScan pending;
        using (var stream = new MemoryStream(content))
        {
            pending = await BuiltInSecrets.Scanner.ReadAsync(stream, "/app/settings.txt");
        }

        Assert.False(pending.IsComplete);
        var result = await Task.Run(pending.Run);
        Assert.Equal(SecretFileDisposition.Scanned, result.Disposition);
        Assert.Equal(content.Length, result.BytesScanned);
        Assert.Equal(14, Assert.Single(result.Matches).Column);
        Assert.Same(result, pending.Run());
    }

    [Fact]
    public async Task Files_are_scanned_up_to_the_size_cap()
    {
        var scanner = new SecretScanner(options: new SecretScanOptions { MaxFileBytes = 10_000, ChunkBytes = 4096 });
        var text = "A=" + GitHubToken + "\n" + new string('#', 20_000) + "\nB=" + GitHubToken.Replace('q', 'z') + "\n";
        var result = await scanner.ScanAsync(new MemoryStream(Encoding.ASCII.GetBytes(text)), "/app/big.txt");
        Assert.Equal(SecretFileDisposition.Truncated, result.Disposition);
        Assert.Equal(10_000, result.BytesScanned);
        Assert.Equal(1, Assert.Single(result.Matches).Line);
    }

    [Fact]
    public void No_result_holds_the_full_secret_value()
    {
        var random = new Random(3);
        string Rnd(int n) => new([.. Enumerable.Range(0, n).Select(_ => "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"[random.Next(56)])]);
        string[] secrets = [SecretTokens.WithChecksum("ghp_", Rnd(30)), "sk_live_" + Rnd(32), "xoxb-1234567890-1234567890123-" + Rnd(24), Rnd(20) + "Q9!", "glpat-" + Rnd(20)];
        var text = $"GITHUB_TOKEN={secrets[0]}\nstripe: {secrets[1]}\nslack={secrets[2]}\nDB_PASSWORD={secrets[3]}\nurl=https://ci:{secrets[4]}@git.internal.test\n";
        var context = new { Layer = "sha256:0123" };
        var matches = BuiltInSecrets.Scanner.ScanText(text, "history[2]", context);

        Assert.Equal(5, matches.Count);
        foreach (var match in matches)
        {
            Assert.Same(context, match.Context);
            var finding = match.ToFinding("registry.internal.test/app:1", StackLayer.Image, new Location { LayerDigest = "sha256:0123", LayerIndex = 2 });
            Assert.Equal("history[2]", finding.Location.Path);
            Assert.Equal("sha256:0123", finding.Location.LayerDigest);
            Assert.Equal(match.Line, finding.Location.Line);
            Assert.True(finding.Evidence!.IsRedacted);
            string[] renderings = [match.ToString(), match.Evidence.Text, finding.Message, JsonSerializer.Serialize(finding), JsonSerializer.Serialize(match.Evidence), finding.ToString()];
            foreach (var secret in secrets)
            {
                foreach (var rendering in renderings)
                {
                    // Not the value, nor any eight characters of it.
                    for (var i = 0; i + 8 <= secret.Length; i++)
                    {
                        Assert.DoesNotContain(secret.Substring(i, 8), rendering, StringComparison.Ordinal);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("DB_PASSWORD=changeme")]
    [InlineData("password: ${DB_PASSWORD}")]
    [InlineData("API_KEY=<your-api-key>")]
    [InlineData("api_key: your_api_key_here")]
    [InlineData("SECRET_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("token: {{ .Values.token }}")]
    [InlineData("password = os.environ['DB_PASSWORD']")]
    [InlineData("AUTH_TOKEN=$AUTH_TOKEN")]
    [InlineData("password: \"********\"")]
    [InlineData("https://user:password@git.internal.test")]
    [InlineData("postgresql://postgres:postgres@localhost:5432/app")]
    [InlineData("GITHUB_TOKEN=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")]
    public void Placeholders_are_not_flagged(string line)
    {
        Assert.Empty(BuiltInSecrets.Scanner.ScanText(line, "/app/config"));
    }

    [Fact]
    public void Documentation_example_keys_are_reported_at_info_with_the_reason_and_keys_of_the_same_shape_at_their_severity()
    {
        // Decision: AWS's published sample credentials grant nothing and fill distribution docs and SDK samples, so
        // they never count as a finding above INFO; they are still shown, with the reason, so that a user can see why.
        var samples = BuiltInSecrets.Scanner.ScanText("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "/root/.aws/credentials");
        Assert.Equal(["SEC-AWS-ACCESS-KEY-ID", "SEC-AWS-SECRET-ACCESS-KEY"], samples.Select(m => m.Rule.Id));
        Assert.All(samples, m => Assert.Equal(Severity.Info, m.Severity));
        Assert.All(samples, m => Assert.Contains("AWS documentation", m.Note, StringComparison.Ordinal));
        var real = BuiltInSecrets.Scanner.ScanText("aws_access_key_id = AKIAIOSFODNN7QWERTYZ\naws_secret_access_key = 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", "/root/.aws/credentials");
        Assert.Equal(["SEC-AWS-ACCESS-KEY-ID", "SEC-AWS-SECRET-ACCESS-KEY"], real.Select(m => m.Rule.Id));
        Assert.Equal([Severity.High, Severity.Critical], real.Select(m => m.Severity));
        Assert.All(real, m => Assert.Null(m.Note));
    }

    [Fact]
    public async Task Encrypted_private_keys_are_reported_at_low_severity_and_not_as_plain_keys()
    {
        using var tree = new TempDirectory();
        var planted = PlantedSecrets.Plant(tree.Path);
        var legacy = await BuiltInSecrets.Scanner.ScanFileAsync(tree.Combine("root", ".ssh", "id_rsa_legacy"), "/root/.ssh/id_rsa_legacy");
        var encrypted = Assert.Single(legacy.Matches);
        Assert.Equal("SEC-PRIVATE-KEY-PEM-ENCRYPTED", encrypted.Rule.Id);
        Assert.Equal(Severity.Low, encrypted.Severity);
        var current = await BuiltInSecrets.Scanner.ScanFileAsync(tree.Combine("root", ".ssh", "id_rsa"), "/root/.ssh/id_rsa");
        Assert.Equal(Severity.High, Assert.Single(current.Matches).Severity);

        var sshEncrypted = SecretScanner.BuiltInRules.Single(r => r.Id == "SEC-PRIVATE-KEY-OPENSSH-ENCRYPTED");
        var found = BuiltInSecrets.Scanner.ScanText(sshEncrypted.MatchExamples[0], "/root/.ssh/id_ed25519");
        Assert.Equal(Severity.Low, Assert.Single(found).Severity);
        Assert.Contains(planted, p => p.RuleId == "SEC-PRIVATE-KEY-PEM-ENCRYPTED");
    }

    [Fact]
    public void A_configuration_adds_disables_and_allows()
    {
        const string Yaml = """
            rules:
              - id: SEC-ACME-TOKEN
                title: ACME internal token
                severity: MEDIUM
                keywords: [acme_]
                regex: '\b(?<secret>acme_[a-z0-9]{24})\b'
                explanation: An internal token.
                remediation: Rotate it.
                examples:
                  match: ['acme_0123456789abcdefghijklmn']
                  noMatch: ['acme_short']
            disable: [SEC-GENERIC-PASSWORD]
            allow:
              paths: ['srv/fixtures/**']
              regexes: ['^ghp_0000']
            """;
        var config = SecretScannerConfig.Parse(Yaml, "strata-secrets.yaml");
        var scanner = new SecretScanner(config);

        Assert.Equal(SecretScanner.BuiltInRules.Count, scanner.SecretRules.Count);
        Assert.Equal("SEC-ACME-TOKEN", Assert.Single(scanner.ScanText("t=acme_0123456789abcdefghijklmn", "/srv/a")).Rule.Id);
        Assert.Empty(scanner.ScanText("DB_PASSWORD=Zr8qLw2mXk4vNp7s", "/srv/a"));
        Assert.Single(BuiltInSecrets.Scanner.ScanText("DB_PASSWORD=Zr8qLw2mXk4vNp7s", "/srv/a"));
        Assert.Empty(scanner.ScanText("GITHUB_TOKEN=ghp_0000" + GitHubToken[8..], "/srv/a"));
        Assert.Single(scanner.ScanText("GITHUB_TOKEN=" + GitHubToken, "/srv/a"));
        Assert.True(scanner.IsPathAllowed("/srv/fixtures/keys/id_rsa"));
        Assert.False(BuiltInSecrets.Scanner.IsPathAllowed("/srv/fixtures/keys/id_rsa"));
        Assert.Contains(scanner.Rules, r => r.Id == "SEC-ACME-TOKEN" && r.Examples.Count == 2);
    }

    [Fact]
    public async Task A_rule_that_backtracks_past_its_budget_moves_to_the_linear_engine_and_still_finds_the_secret()
    {
        // (?:a|aa)+ before a missing '!' takes exponential time to backtrack: far past the budget on 60 letters,
        // while the linear-time engine reads the same window once.
        const string Yaml = """
            rules:
              - id: SEC-SLOW
                title: pathological
                severity: HIGH
                keywords: [zz]
                regex: 'zz(?<secret>(?:a|aa)+)!'
                explanation: x
                remediation: x
            """;
        var scanner = new SecretScanner(SecretScannerConfig.Parse(Yaml, "strata-secrets.yaml"));
        var rule = Assert.Single(scanner.SecretRules, r => r.Id == "SEC-SLOW");
        Assert.False(rule.UsesLinearEngine);

        using var input = new MemoryStream(Encoding.ASCII.GetBytes("zz" + new string('a', 60) + "b then zzaaaa!\n"));
        var result = await scanner.ScanAsync(input, "/srv/slow.txt", cancellationToken: CancellationToken.None);

        Assert.True(rule.UsesLinearEngine);
        Assert.Equal(0, result.RegexTimeouts);
        Assert.Equal("SEC-SLOW", Assert.Single(result.Matches).Rule.Id);
    }

    [Theory]
    [InlineData("rules: [", "strata-secrets.yaml:2: malformed YAML")]
    [InlineData("%TAG ! ", "strata-secrets.yaml: malformed YAML")]
    [InlineData("colour: red", "strata-secrets.yaml:1: unknown key 'colour'")]
    [InlineData("rules:\n  - id: SEC-X\n    title: x\n    severity: HIGH\n    keywords: [xx]\n    regex: 'x'\n    explanation: x\n    remediation: x\n", "strata-secrets.yaml:2: rule SEC-X: the regex needs a named group 'secret'")]
    [InlineData("rules:\n  - id: SEC-X\n    title: x\n    severity: SEVERE\n", "strata-secrets.yaml:2: rule SEC-X: severity must be")]
    [InlineData("rules:\n  - id: SEC-X\n    colour: red\n", "strata-secrets.yaml:3: unknown rule key 'colour'")]
    public void Configuration_errors_name_the_file_and_line(string yaml, string expected)
    {
        var error = Assert.Throws<StrataException>(() => SecretScannerConfig.Parse(yaml, "strata-secrets.yaml"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Disabling_an_unknown_rule_is_an_error()
    {
        var config = SecretScannerConfig.Parse("disable: [SEC-NO-SUCH-RULE]", "strata-secrets.yaml");
        var error = Assert.Throws<StrataException>(() => new SecretScanner(config));
        Assert.Contains("SEC-NO-SUCH-RULE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_strings_are_scanned_with_their_own_display_path()
    {
        var matches = BuiltInSecrets.Scanner.ScanText("/bin/sh -c #(nop)  ENV NPM_TOKEN=npm_" + GitHubToken[4..], "history[4].created_by");
        var match = Assert.Single(matches);
        Assert.Equal("SEC-NPM-ACCESS-TOKEN", match.Rule.Id);
        Assert.Equal("history[4].created_by", match.Path);
        Assert.Equal(1, match.Line);
        Assert.Equal(34, match.Column);
    }

    [Fact]
    public void Binary_detection_uses_nul_bytes_and_the_control_character_ratio()
    {
        Assert.True(SecretScanner.LooksBinary("abc\0def"u8));
        Assert.True(SecretScanner.LooksBinary([.. Enumerable.Repeat((byte)1, 50), .. "text"u8.ToArray()]));
        Assert.False(SecretScanner.LooksBinary("plain text\twith tabs\r\nand lines\n"u8));
        Assert.False(SecretScanner.LooksBinary(Encoding.UTF8.GetBytes("unicode text: élan, 東京\n")));
    }

    /// <summary>A read-only stream over bytes that counts what was read and refuses to seek.</summary>
    private sealed class CountingStream(byte[] data) : Stream
    {
        private int position;

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // Small, uneven reads, as a decompressing tar stream gives.
            var n = Math.Min(Math.Min(count, 1000), data.Length - position);
            Array.Copy(data, position, buffer, offset, n);
            position += n;
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
