namespace Strata.Core.Tests;

using Strata.Core.Packages;
using Strata.Testing;

/// <summary>Debian version order against the real <c>dpkg --compare-versions</c>.</summary>
public sealed class DebianVersionTests
{
    [Theory]
    [InlineData("1.0~rc1", "1.0")]
    [InlineData("1.0", "1.0+b1")]
    [InlineData("1.0-1", "1.0-1+deb12u1")]
    [InlineData("1.1.5+ds1-1", "1.1.5+ds1-1+deb12u1")]
    [InlineData("2.0", "1:0.9")]
    [InlineData("1.0a", "1.0+")]
    [InlineData("1.0~~", "1.0~")]
    [InlineData("1.09", "1.10")]
    [InlineData("2.0-1", "2.0-1.1")]
    public async Task Known_pairs_order_as_dpkg_orders_them(string lower, string higher)
    {
        Assert.True(DebianVersion.Parse(lower) < DebianVersion.Parse(higher), $"{lower} < {higher}");
        Assert.Equal(0, (await ExternalTool.RunAsync("dpkg", ["--compare-versions", lower, "lt", higher])).ExitCode);
    }

    [Fact]
    public async Task Random_versions_order_as_dpkg_orders_them()
    {
        var random = new Random(20261130);
        const string Alphabet = "0123456789.+~abz";
        string Part(int max) => new(Enumerable.Range(0, random.Next(1, max)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
        string Version() => (random.Next(6) == 0 ? $"{random.Next(3)}:" : string.Empty) + random.Next(10) + Part(6) + (random.Next(2) == 0 ? "-" + Part(4) : string.Empty);

        for (var n = 0; n < 150; n++)
        {
            var a = Version();
            var b = random.Next(8) == 0 ? a : Version();
            var ours = Math.Sign(DebianVersion.Compare(DebianVersion.Parse(a), DebianVersion.Parse(b)));
            var lt = (await ExternalTool.RunAsync("dpkg", ["--compare-versions", a, "lt", b])).ExitCode == 0;
            var eq = (await ExternalTool.RunAsync("dpkg", ["--compare-versions", a, "eq", b])).ExitCode == 0;
            Assert.True(ours == (lt ? -1 : eq ? 0 : 1), $"{a} vs {b}: ours {ours}, dpkg lt={lt} eq={eq}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("x1.0")]
    [InlineData("a:1.0")]
    [InlineData("1.0 2")]
    public void Malformed_versions_are_refused(string text) => Assert.False(DebianVersion.TryParse(text, out _));
}
