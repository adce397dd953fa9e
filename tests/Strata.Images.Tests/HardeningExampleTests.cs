namespace Strata.Images.Tests;

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Strata.Core.Rules;
using Strata.Images.Hardening;
using Strata.Oci.Layers;
using Strata.Oci.Model;
using Strata.Testing;

/// <summary>
/// Every IMG rule's documented examples, checked against the rule: an example is a file (a path line, then its
/// content), ls-like entries (<c>-rwsr-xr-x 0 0 /usr/bin/sudo</c>), or the config object as JSON.
/// </summary>
public sealed partial class HardeningExampleTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var check in new ImageScanner(BuiltInSecrets.Provider).Checks)
        {
            for (var i = 0; i < check.Rule.Examples.Count; i++)
            {
                data.Add(check.Rule.Id, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Rule_examples_are_flagged_as_documented(string ruleId, int index)
    {
        var check = new ImageScanner(BuiltInSecrets.Provider, new ImageScannerOptions { Time = Support.FixedTime.FixtureDate }).Checks.Single(c => c.Rule.Id == ruleId);
        var example = check.Rule.Examples[index];
        var findings = check.Evaluate(ViewOf(example.Text)).ToList();
        Assert.True(example.Flagged == (findings.Count > 0), $"{ruleId} example {index} ({example.Note}): expected flagged={example.Flagged}, got {findings.Count} findings: {string.Join("; ", findings.Select(f => f.Message))}");
    }

    [Fact]
    public void Every_hardening_rule_is_complete_and_most_have_examples()
    {
        var checks = new ImageScanner(BuiltInSecrets.Provider).Checks;
        Assert.Equal(18, checks.Count);
        Assert.Equal(checks.Count, checks.Select(c => c.Rule.Id).Distinct().Count());
        Assert.All(checks, c =>
        {
            Assert.Matches(@"^IMG-\d{3}$", c.Rule.Id);
            Assert.NotEmpty(c.Rule.References);
            Assert.Equal(Core.Findings.StackLayer.Image, c.Rule.Layer);
        });
        Assert.True(checks.Count(c => c.Rule.Examples.Count > 0) >= 17);
        _ = new RuleCatalog(checks.Select(c => c.Rule));
    }

    /// <summary>Builds a view from an example's text (see the class summary).</summary>
    internal static ImageView ViewOf(string text)
    {
        if (text.StartsWith('{'))
        {
            var json = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":" + text + "}";
            return ImageView.FromEntries("example", ImageConfig.Parse(Encoding.UTF8.GetBytes(json), "example"), [], new Dictionary<string, byte[]>());
        }

        var lines = text.Split('\n');
        var entries = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (LsLine().IsMatch(lines[0]))
        {
            foreach (var line in lines)
            {
                var match = LsLine().Match(line);
                Assert.True(match.Success, $"not an ls-like example line: {line}");
                var key = ImageView.KeyOf(match.Groups["path"].Value);
                AddParents(entries, key);
                var (type, mode) = ParseMode(match.Groups["mode"].Value);
                entries[key] = new LayerEntry
                {
                    Path = key,
                    Type = type,
                    RawName = key,
                    Mode = mode,
                    Uid = long.Parse(match.Groups["uid"].Value, CultureInfo.InvariantCulture),
                    Gid = long.Parse(match.Groups["gid"].Value, CultureInfo.InvariantCulture),
                    LinkTarget = match.Groups["target"].Success ? match.Groups["target"].Value : null,
                };
            }
        }
        else
        {
            var key = ImageView.KeyOf(lines[0]);
            var content = Encoding.UTF8.GetBytes(string.Join('\n', lines[1..]) + "\n");
            AddParents(entries, key);
            entries[key] = new LayerEntry { Path = key, Type = EntryType.File, RawName = key, Mode = 0x1A4, Size = content.Length };
            contents[key] = content;
        }

        return ImageView.FromEntries("example", null, entries.Values, contents);
    }

    private static void AddParents(Dictionary<string, LayerEntry> entries, string key)
    {
        for (var parent = EntryPaths.Parent(key); !string.IsNullOrEmpty(parent); parent = EntryPaths.Parent(parent))
        {
            entries.TryAdd(parent, new LayerEntry { Path = parent, Type = EntryType.Directory, RawName = parent + "/", Mode = 0x1ED });
        }
    }

    private static (EntryType Type, int Mode) ParseMode(string text)
    {
        var type = text[0] switch
        {
            'd' => EntryType.Directory,
            'l' => EntryType.Symlink,
            'c' => EntryType.CharDevice,
            'b' => EntryType.BlockDevice,
            'p' => EntryType.Fifo,
            _ => EntryType.File,
        };
        var mode = 0;
        for (var i = 0; i < 9; i++)
        {
            var c = text[i + 1];
            if (c is not ('-' or 'S' or 'T'))
            {
                mode |= 1 << (8 - i);
            }
        }

        mode |= text[3] is 's' or 'S' ? 0x800 : 0;
        mode |= text[6] is 's' or 'S' ? 0x400 : 0;
        mode |= text[9] is 't' or 'T' ? 0x200 : 0;
        return (type, mode);
    }

    [GeneratedRegex(@"^(?<mode>[-dlcbp][-rwxsStT]{9}) (?<uid>\d+) (?<gid>\d+) (?<path>/\S+)(?: -> (?<target>\S+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex LsLine();
}
