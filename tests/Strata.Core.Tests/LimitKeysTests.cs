namespace Strata.Core.Tests;

/// <summary><c>--limits KEY=VALUE[,…]</c>: every key sets its limit, sizes take suffixes, mistakes are usage errors naming the key.</summary>
public sealed class LimitKeysTests
{
    [Theory]
    [InlineData("document-bytes=64MiB", 64L << 20)]
    [InlineData("document-bytes=64Mi", 64L << 20)]
    [InlineData("document-bytes=64M", 64_000_000L)]
    [InlineData("document-bytes=2k", 2000L)]
    [InlineData("document-bytes=2K", 2048L)]
    [InlineData("document-bytes=1GiB", 1L << 30)]
    [InlineData("DOCUMENT-BYTES = 4096B", 4096L)]
    public void Sizes_take_decimal_and_binary_suffixes(string text, long expected) =>
        Assert.Equal(expected, LimitKeys.Parse([text], Limits.Default).MaxDocumentBytes);

    [Fact]
    public void Several_keys_in_one_value_or_repeated_apply_in_order_over_the_defaults()
    {
        var limits = LimitKeys.Parse(["findings-per-rule=5,document-nodes=2M", "layers=3", "findings-per-rule=7", "compression-ratio=12.5"], Limits.Default);
        Assert.Equal(7, limits.MaxFindingsPerRule);
        Assert.Equal(2_000_000, limits.MaxNodes);
        Assert.Equal(3, limits.MaxLayers);
        Assert.Equal(12.5, limits.MaxCompressionRatio);
        Assert.Equal(Limits.Default.MaxDocumentBytes, limits.MaxDocumentBytes);
        Assert.Equal(100, Limits.Default.MaxFindingsPerRule);
    }

    [Fact]
    public void Every_key_sets_its_own_property_and_no_other()
    {
        foreach (var key in LimitKeys.All)
        {
            var changed = LimitKeys.Parse([$"{key.Name}=7"], Limits.Default);
            Assert.Equal(7, key.ValueIn(changed));
            foreach (var other in LimitKeys.All.Where(k => k != key))
            {
                Assert.Equal(other.ValueIn(Limits.Default), other.ValueIn(changed));
            }
        }

        Assert.Equal(LimitKeys.All.Count, LimitKeys.All.Select(k => k.Name).Distinct().Count());
        Assert.Equal(typeof(Limits).GetProperties().Count(p => p.CanWrite), LimitKeys.All.Count);
    }

    [Fact]
    public void An_unknown_key_is_a_usage_error_naming_the_nearest_key()
    {
        var error = Assert.Throws<StrataException>(() => LimitKeys.Parse(["documnet-bytes=1"], Limits.Default));
        Assert.Equal(ExitCode.Usage, error.ExitCode);
        Assert.Equal("--limits documnet-bytes=1: unknown limit 'documnet-bytes'; did you mean document-bytes? ('strata limits' lists every key).", error.Message);

        error = Assert.Throws<StrataException>(() => LimitKeys.Parse(["speed=1"], Limits.Default));
        Assert.Equal("--limits speed=1: unknown limit 'speed' ('strata limits' lists every key).", error.Message);
    }

    [Theory]
    [InlineData("document-nodes=many", "--limits document-nodes=many: expected a whole number")]
    [InlineData("document-nodes=0", "--limits document-nodes=0: expected a whole number")]
    [InlineData("document-nodes=-5", "--limits document-nodes=-5: expected a whole number")]
    [InlineData("document-nodes=1MiB", "--limits document-nodes=1MiB: expected a whole number")]
    [InlineData("document-nodes=3G", "--limits document-nodes=3G: expected a whole number from 1 to 2147483647")]
    [InlineData("document-bytes=2GiB", "--limits document-bytes=2GiB: expected a size in bytes from 1 to 1073741824")]
    [InlineData("document-bytes=12XB", "--limits document-bytes=12XB: expected a size in bytes")]
    [InlineData("compression-ratio=0.5", "--limits compression-ratio=0.5: expected a number of at least 1")]
    [InlineData("layers", "--limits layers: expected layers=VALUE")]
    public void A_bad_value_is_a_usage_error_naming_the_key(string text, string expected)
    {
        var error = Assert.Throws<StrataException>(() => LimitKeys.Parse([text], Limits.Default));
        Assert.Equal(ExitCode.Usage, error.ExitCode);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refusal_names_where_what_and_the_key_that_raises_it()
    {
        var error = Limits.Exceeded("pod.yaml:3", "more than 10 nodes", "document-nodes");
        Assert.Equal(ExitCode.Error, error.ExitCode);
        Assert.Equal("pod.yaml:3: more than 10 nodes (limit document-nodes; raise it with --limits document-nodes=N).", error.Message);
    }
}
