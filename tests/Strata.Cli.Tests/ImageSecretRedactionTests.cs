namespace Strata.Cli.Tests;

using System.Text.Json.Nodes;
using Strata.Testing;
using Strata.Testing.Images;

/// <summary>
/// Issue 8, defect 2: a build argument recorded in a build step (<c>|1 TOKEN=…</c>) or a label was printed in full by
/// <c>image inspect</c> (table and JSON) and <c>image files --format json</c>, while <c>strata scan</c> redacted it.
/// </summary>
public sealed class ImageSecretRedactionTests
{
    // Assembled at run time so that no scanner of this repository sees a whole token in the source.
    private static readonly string Token = "ghp_" + "R2d2C3po4Bb8Ee1Yy5Uu7Ii9Oo0Pp64UXLDo";

    [Theory]
    [InlineData("inspect", "table")]
    [InlineData("inspect", "json")]
    [InlineData("files", "table")]
    [InlineData("files", "json")]
    public async Task Build_steps_and_labels_never_show_a_secret_in_full(string verb, string format)
    {
        using var dir = new TempDirectory();
        var layer = OciLayoutWriter.Gzip(
            OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "app/run.sh", "#!/bin/sh\n")),
            createdBy: $"|1 GITHUB_TOKEN={Token} /bin/sh -c ./fetch --token $GITHUB_TOKEN");
        var config = OciLayoutWriter.Config([layer]);
        config["config"]!["Labels"] = new JsonObject { ["deploy.token"] = Token, ["maintainer"] = "team@example.com" };
        var writer = new OciLayoutWriter(dir.Combine("image"));
        writer.WriteIndex((writer.WriteImage([layer], config), "latest"));

        var result = await CliRunner.RunAsync(["image", verb, "oci:" + dir.Combine("image") + ":latest", "--format", format], width: 200);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(Token, result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(Token[4..], result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, result.StdErr, StringComparison.Ordinal);
        if (verb == "inspect")
        {
            Assert.Contains("team@example.com", result.StdOut, StringComparison.Ordinal);
        }
    }
}
