namespace Strata.Oci.Tests.Registry;

using System.Net;
using System.Text;
using Strata.Core;
using Strata.Oci.Destinations;
using Strata.Oci.Model;
using Strata.Oci.Registry;
using Strata.Testing;
using static Strata.Oci.Tests.Destinations.DestinationLayoutTests;
using static Strata.Oci.Tests.Registry.RegistryPullTests;

/// <summary>
/// A registry that answers pushes wrongly (no or a bad Location, garbage or endless bodies, looping pages, a wrong
/// digest, silence) gives a clear error naming the registry, repository and object, and never a hang.
/// </summary>
public sealed class RegistryPushHostileTests
{
    private static readonly Descriptor Blob = Descriptor("application/octet-stream", "blob bytes"u8.ToArray());

    public static TheoryData<string, string> BadLocations => new()
    {
        { string.Empty, "without a Location header" },
        { "ftp://127.0.0.1/upload", "scheme 'ftp'" },
        { "http://[::zz/upload", "is not a URL" },
    };

    [Theory]
    [MemberData(nameof(BadLocations))]
    public async Task An_upload_session_with_a_bad_location_is_refused(string location, string expected)
    {
        await using var server = new LoopbackHttpServer(async (context, token) =>
        {
            if (context.Request.HttpMethod == "POST")
            {
                context.Response.StatusCode = 202;
                if (location.Length > 0)
                {
                    context.Response.Headers.Add("Location", location);
                }
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            await Task.CompletedTask;
        });
        await using var destination = new RegistryDestination(ImageReference.Parse($"{server.HostPort}/team/app"), Isolated());
        var error = await SpecialFiles.WithinHangLimit(() => Assert.ThrowsAsync<StrataException>(() => destination.PutBlobAsync(Blob, new MemoryStream("blob bytes"u8.ToArray()), CancellationToken.None)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains($"{server.HostPort}/team/app", error.Message, StringComparison.Ordinal);
        Assert.Contains(Blob.Digest.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_the_registry_never_answers_times_out()
    {
        await using var server = new LoopbackHttpServer(async (context, token) =>
        {
            switch (context.Request.HttpMethod)
            {
                case "HEAD":
                    context.Response.StatusCode = 404;
                    return;
                case "POST":
                    context.Response.StatusCode = 202;
                    context.Response.Headers.Add("Location", "/v2/team/app/blobs/uploads/session-1");
                    return;
                case "PUT":
                    await Task.Delay(Timeout.Infinite, token);
                    return;
                default:
                    context.Response.StatusCode = 204;
                    return;
            }
        });
        var options = Isolated(TimeSpan.FromSeconds(1)) with { MaxAttempts = 2, MinBlobBytesPerSecond = 1 << 20 };
        await using var destination = new RegistryDestination(ImageReference.Parse($"{server.HostPort}/team/app"), options);
        var error = await SpecialFiles.WithinHangLimit(() => Assert.ThrowsAsync<StrataException>(() => destination.PutBlobAsync(Blob, new MemoryStream("blob bytes"u8.ToArray()), CancellationToken.None)));
        Assert.Contains("did not answer within", error.Message, StringComparison.Ordinal);
        Assert.Contains(Blob.Digest.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("oversized", "more than the 4096 bytes accepted")]
    [InlineData("garbage", "the tag list is not valid JSON")]
    [InlineData("not-strings", "a tag is not a string")]
    [InlineData("loop", "links back to one seen before")]
    [InlineData("elsewhere", "not a /v2/ path of the registry")]
    public async Task Bad_tag_lists_are_refused(string kind, string expected)
    {
        await using var server = new LoopbackHttpServer(async (context, token) =>
        {
            var response = context.Response;
            var body = kind switch
            {
                "oversized" => "{\"tags\":[\"" + new string('a', 1 << 20) + "\"]}",
                "garbage" => "{\"tags\":[",
                "not-strings" => "{\"tags\":[1,2]}",
                _ => "{\"tags\":[\"a\"]}",
            };
            if (kind == "loop")
            {
                response.Headers.Add("Link", "</v2/team/app/tags/list?last=a&n=1>; rel=\"next\"");
            }
            else if (kind == "elsewhere")
            {
                response.Headers.Add("Link", "<https://elsewhere.example/steal?x=1>; rel=\"next\"");
            }

            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body), token);
        });
        using var client = new RegistryClient(Isolated() with { MaxManifestBytes = 4096 });
        var error = await SpecialFiles.WithinHangLimit(() => Assert.ThrowsAsync<StrataException>(() => client.ListTagsAsync(ImageReference.Parse($"{server.HostPort}/team/app"), CancellationToken.None)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains($"{server.HostPort}/team/app", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_garbage_referrers_answer_is_refused_naming_the_subject()
    {
        await using var server = new LoopbackHttpServer(async (context, token) =>
        {
            context.Response.ContentType = MediaTypes.OciIndex;
            await context.Response.OutputStream.WriteAsync("{\"manifests\":\"no\"}"u8.ToArray(), token);
        });
        using var client = new RegistryClient(Isolated());
        var error = await SpecialFiles.WithinHangLimit(() => Assert.ThrowsAsync<StrataException>(() => client.ListReferrersAsync(ImageReference.Parse($"{server.HostPort}/team/app"), Blob.Digest, null, CancellationToken.None)));
        Assert.Contains($"referrers of {Blob.Digest}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_stored_under_another_digest_is_an_error()
    {
        var other = Digest.Sha256Of("something else"u8);
        await using var server = new LoopbackHttpServer(async (context, token) =>
        {
            context.Response.StatusCode = (int)HttpStatusCode.Created;
            context.Response.Headers.Add("Docker-Content-Digest", other.ToString());
            await Task.CompletedTask;
        });
        await using var destination = new RegistryDestination(ImageReference.Parse($"{server.HostPort}/team/app"), Isolated());
        var error = await SpecialFiles.WithinHangLimit(() => Assert.ThrowsAsync<StrataException>(() => destination.PutManifestAsync("{}"u8.ToArray(), MediaTypes.OciManifest, "v1", CancellationToken.None)));
        Assert.Contains($"stored the manifest as {other}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{server.HostPort}/team/app", error.Message, StringComparison.Ordinal);
    }
}
