namespace Strata.Cli.Tests;

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using Strata.Secrets;
using Strata.Testing;
using Strata.Testing.Images;

/// <summary>
/// Redaction never emits a full secret: secrets of the built-in SEC- rules (each rule's match examples, with the
/// characters of the secret replaced at random in their own class, so the format stays the rule's) put in a
/// Dockerfile (ENV, ARG, RUN), an image (build steps, labels, ENV, a file) and a Kubernetes manifest (env,
/// annotations), then <c>strata scan</c> and <c>strata image inspect|files</c> in every format: no output holds a
/// secret in full, JSON strings read unescaped.
/// </summary>
public sealed class RedactionPropertyTests : IDisposable
{
    private static readonly string[] ScanFormats = ["table", "json", "sarif"];
    private static readonly string[] ImageCommands = ["inspect table", "inspect json", "files table", "files json"];
    private static readonly IReadOnlyList<SecretRule> Rules = SecretScanner.BuiltInRules;
    private readonly TempDirectory temp = new("strata-redaction-props");

    public void Dispose() => temp.Dispose();

    /// <summary>A secret as planted: the line it sits in and the secret itself.</summary>
    public sealed record Planted(string RuleId, string Line, string Secret)
    {
        public override string ToString() => $"{RuleId}: {Line}";
    }

    /// <summary>Every rule's examples as written, all at once, through every format.</summary>
    [Fact]
    public async Task No_output_holds_any_example_secret_of_any_rule()
    {
        var planted = Rules.SelectMany(rule => rule.MatchExamples.Select(example => Plant(rule, example, random: null))).OfType<Planted>().ToArray();
        Assert.True(planted.Length >= Rules.Count, $"{planted.Length} secrets for {Rules.Count} rules");
        var outputs = new List<string>();
        foreach (var format in ScanFormats)
        {
            outputs.Add(await ScanAsync(planted, format));
        }

        foreach (var command in ImageCommands)
        {
            outputs.Add(await ImageCommandAsync(planted, command));
        }

        AssertNoSecret(planted, outputs);

        // Not vacuous: the scan found secrets in all three kinds of target.
        Assert.Contains("SEC-", outputs[0], StringComparison.Ordinal);
    }

    /// <summary>Random rules with random secrets in their format, one scan format and one image command each; about 40 runs, 10 to 20 s.</summary>
    [Fact]
    public async Task No_output_holds_a_generated_secret()
    {
        var planted = Gen.Select(Gen.Int[0, Rules.Count - 1], Gen.Int[0, 9], Gen.Int, (rule, example, seed) =>
            Plant(Rules[rule], Rules[rule].MatchExamples[example % Rules[rule].MatchExamples.Count], new Random(seed)));
        var cases = Gen.Select(planted.Array[1, 6], Gen.Int[0, ScanFormats.Length - 1], Gen.Int[0, ImageCommands.Length - 1]);
        await cases.SampleAsync(
            async (secrets, format, command) =>
            {
                var present = secrets.OfType<Planted>().ToArray();
                AssertNoSecret(present, [await ScanAsync(present, ScanFormats[format]), await ImageCommandAsync(present, ImageCommands[command])]);
            },
            iter: 40,
            threads: 1,
            print: c => $"{ScanFormats[c.Item2]}, image {ImageCommands[c.Item3]}:\n" + string.Join('\n', c.Item1.OfType<Planted>()));
    }

    /// <summary>
    /// The example with its secret's letters and digits replaced at random (each by one of its class), when the rule
    /// still finds the new secret; else the example as written. Null when the rule's pattern finds no secret in it.
    /// </summary>
    private static Planted? Plant(SecretRule rule, string example, Random? random)
    {
        var match = new Regex(rule.Pattern, RegexOptions.None, TimeSpan.FromSeconds(5)).Match(example);
        if (!match.Success || match.Groups["secret"] is not { Success: true } group)
        {
            return null;
        }

        var original = new Planted(rule.Id, example, group.Value);
        if (random is null)
        {
            return original;
        }

        var secret = new StringBuilder(group.Value);
        for (var i = 0; i < secret.Length; i++)
        {
            secret[i] = secret[i] switch
            {
                >= 'a' and <= 'z' => (char)('a' + random.Next(26)),
                >= 'A' and <= 'Z' => (char)('A' + random.Next(26)),
                >= '0' and <= '9' => (char)('0' + random.Next(10)),
                var other => other,
            };
        }

        var line = string.Concat(example.AsSpan(0, group.Index), secret.ToString(), example.AsSpan(group.Index + group.Length));
        var found = BuiltInSecrets.Scanner.ScanText(line, "line").Any(m => m.Rule.Id == rule.Id);
        return found ? new Planted(rule.Id, line, secret.ToString()) : original;
    }

    private async Task<string> ScanAsync(Planted[] planted, string format)
    {
        var directory = Directory.CreateDirectory(temp.Combine(Guid.NewGuid().ToString("N")[..12])).FullName;
        var dockerfile = new StringBuilder("FROM alpine:3.20\n");
        var manifest = new StringBuilder("apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  annotations:\n");
        for (var i = 0; i < planted.Length; i++)
        {
            manifest.Append(System.Globalization.CultureInfo.InvariantCulture, $"    note{i}: {JsonSerializer.Serialize(planted[i].Line)}\n");
            if (!planted[i].Line.Contains('\n', StringComparison.Ordinal))
            {
                var quoted = JsonSerializer.Serialize(planted[i].Line, JsonOptions);
                var instruction = (i % 3) switch
                {
                    0 => "ENV VALUE_{0}={1}\n",
                    1 => "ARG VALUE_{0}={1}\n",
                    _ => "RUN echo {1} > /etc/app-{0}.conf\n",
                };
                dockerfile.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, instruction, i, quoted);
            }
        }

        manifest.Append("spec:\n  containers:\n    - name: app\n      image: alpine:3.20\n      env:\n");
        for (var i = 0; i < planted.Length; i++)
        {
            manifest.Append(System.Globalization.CultureInfo.InvariantCulture, $"        - name: VALUE_{i}\n          value: {JsonSerializer.Serialize(planted[i].Line)}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "Dockerfile"), dockerfile.ToString());
        await File.WriteAllTextAsync(Path.Combine(directory, "pod.yaml"), manifest.ToString());
        var image = WriteImage(planted, Path.Combine(directory, "image"));
        var result = await CliRunner.RunAsync(["scan", Path.Combine(directory, "Dockerfile"), Path.Combine(directory, "pod.yaml"), image, "--format", format, "--no-progress"], directory, width: 200);
        Assert.True(result.ExitCode is 0 or 1, $"exit {result.ExitCode}: {result.StdErr}");
        return result.StdOut + "\n" + result.StdErr;
    }

    private async Task<string> ImageCommandAsync(IReadOnlyList<Planted> planted, string command)
    {
        var image = WriteImage(planted, temp.Combine(Guid.NewGuid().ToString("N")[..12]));
        var words = command.Split(' ');
        var result = await CliRunner.RunAsync(["image", words[0], image, "--format", words[1]], temp.Path, width: 200);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StdErr}");
        return result.StdOut + "\n" + result.StdErr;
    }

    /// <summary>An image whose build steps, labels, ENV and one file hold the secrets.</summary>
    private static string WriteImage(IReadOnlyList<Planted> planted, string root)
    {
        var layers = planted.Select((p, i) => OciLayoutWriter.Plain(
            OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, $"app/config-{i}.env", p.Line + "\n")),
            (i % 2) == 0 ? $"|1 VALUE_{i}={p.Line} /bin/sh -c ./build" : $"/bin/sh -c #(nop) ENV VALUE_{i}={p.Line}")).ToList();
        var config = OciLayoutWriter.Config(layers);
        var labels = new JsonObject();
        var env = new JsonArray("PATH=/bin");
        for (var i = 0; i < planted.Count; i++)
        {
            labels["org.example.value" + i] = planted[i].Line;
            env.Add($"VALUE_{i}={planted[i].Line}");
        }

        config["config"]!["Labels"] = labels;
        config["config"]!["Env"] = env;
        var writer = new OciLayoutWriter(root);
        writer.WriteIndex((writer.WriteImage(layers, config), "latest"));
        return $"oci:{root}:latest";
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>No secret in any output, read as text and, where the output is JSON, with its strings unescaped.</summary>
    private static void AssertNoSecret(IReadOnlyList<Planted> planted, IEnumerable<string> outputs)
    {
        foreach (var output in outputs)
        {
            var text = output + "\n" + UnescapedJsonStrings(output);
            foreach (var secret in planted)
            {
                Assert.False(text.Contains(secret.Secret, StringComparison.Ordinal), $"{secret.RuleId}: the secret '{secret.Secret}' is in the output:\n{Around(text, secret.Secret)}");
            }
        }
    }

    private static string UnescapedJsonStrings(string output)
    {
        var start = output.IndexOf('{', StringComparison.Ordinal);
        var end = output.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            return string.Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(output[start..(end + 1)]);
            var strings = new StringBuilder();
            Collect(document.RootElement, strings);
            return strings.ToString();
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private static void Collect(JsonElement element, StringBuilder strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                strings.AppendLine(element.GetString());
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    strings.AppendLine(property.Name);
                    Collect(property.Value, strings);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, strings);
                }

                break;
        }
    }

    private static string Around(string text, string secret)
    {
        var at = text.IndexOf(secret, StringComparison.Ordinal);
        return text.Substring(Math.Max(0, at - 200), Math.Min(text.Length - Math.Max(0, at - 200), secret.Length + 400));
    }
}
