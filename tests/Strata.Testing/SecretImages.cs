namespace Strata.Testing;

/// <summary>
/// An image that plants a synthetic secret of a real format in every place an image keeps one: the config (ENV, a
/// label), the history (build arguments a RUN saw), a file deleted by a later layer, a file overwritten by a later layer,
/// and a live file (a PEM private key made with openssl once per cache).
/// </summary>
public static class SecretImages
{
    /// <summary>AWS access key ID set by ENV (config and the ENV history line).</summary>
    public const string EnvAwsKeyId = "AKIAQ3MX7VNRJ5TW2KLP";

    /// <summary>AWS access key ID in a label.</summary>
    public const string LabelAwsKeyId = "AKIAZ7PL4QHS2NW6RXTM";

    /// <summary>GitHub classic token passed with --build-arg GITHUB_TOKEN, recorded by the last RUN.</summary>
    public const string BuildArgGitHubToken = "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";

    /// <summary>A password of one lowercase word passed with --build-arg DB_PASSWORD: no rule takes a bare word for a secret, only its name says secret.</summary>
    public const string BuildArgPassword = "quokkapie";

    /// <summary>Slack bot token in /app/.env, added in layer 1 and deleted in layer 2.</summary>
    public const string DeletedSlackToken = "xoxb-482913576021-3310947726158-Hq8ZtR2vKm4NwX7pLc9BsJ5e";

    /// <summary>Stripe live key in /app/config.yml, added in layer 1 and overwritten in layer 3.</summary>
    public const string OverwrittenStripeKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dcTq8Nw2Xv";

    /// <summary>
    /// Layer 0: busybox; 1: COPY app/ (.env, config.yml, key.pem); 2: rm /app/.env; 3: config.yml overwritten;
    /// 4: a RUN that sees the build arguments GITHUB_TOKEN and DB_PASSWORD.
    /// </summary>
    public static async Task<ImageRecipe> PlantedAsync()
    {
        var key = await PrivateKeyPathAsync();
        return new ImageRecipe(
            "secrets-planted",
            """
            FROM scratch
            COPY busybox /bin/busybox
            COPY app/ /app/
            RUN ["/bin/busybox", "rm", "/app/.env"]
            RUN ["/bin/busybox", "sh", "-c", "/bin/busybox echo 'stripe_key: none' > /app/config.yml"]
            ENV AWS_ACCESS_KEY_ID=AKIAQ3MX7VNRJ5TW2KLP
            LABEL deploy.key=AKIAZ7PL4QHS2NW6RXTM
            ARG GITHUB_TOKEN
            ARG DB_PASSWORD
            RUN ["/bin/busybox", "sh", "-c", "/bin/busybox echo built > /app/built.txt"]
            """,
            new Dictionary<string, string>
            {
                ["app/.env"] = $"APP_ENV=production\nSLACK_BOT_TOKEN={DeletedSlackToken}\n",
                ["app/config.yml"] = $"listen: 8080\nstripe_key: {OverwrittenStripeKey}\n",
            },
            new Dictionary<string, string> { ["busybox"] = "/bin/busybox", ["app/key.pem"] = key },
            BuildArgs: new Dictionary<string, string> { ["GITHUB_TOKEN"] = BuildArgGitHubToken, ["DB_PASSWORD"] = BuildArgPassword });
    }

    /// <summary>A PKCS#8 RSA private key made with openssl once and kept in the test cache (so the image stays cached too).</summary>
    public static async Task<string> PrivateKeyPathAsync()
    {
        var directory = await FixtureCache.GetOrCreateAsync("secrets-private-key-v1", work =>
            ExternalTool.RunCheckedAsync("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", Path.Combine(work, "key.pem")));
        return Path.Combine(directory, "key.pem");
    }

    /// <summary>Lines of the key's base64 body: none of them may appear in any output.</summary>
    public static async Task<IReadOnlyList<string>> PrivateKeyBodyLinesAsync()
    {
        var lines = await File.ReadAllLinesAsync(await PrivateKeyPathAsync());
        return [.. lines.Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))];
    }

    /// <summary>Every planted value; no report, message or log may contain one in full.</summary>
    public static IReadOnlyList<string> PlantedValues =>
        [EnvAwsKeyId, LabelAwsKeyId, BuildArgGitHubToken, BuildArgPassword, DeletedSlackToken, OverwrittenStripeKey];

    /// <summary>The planted tree as a root filesystem directory (no layers): every file secret, live.</summary>
    public static async Task<string> PlantedRootFsAsync()
    {
        var key = await PrivateKeyPathAsync();
        var directory = await FixtureCache.GetOrCreateAsync("secrets-rootfs-v1", async work =>
        {
            var app = Directory.CreateDirectory(Path.Combine(work, "rootfs", "app")).FullName;
            await File.WriteAllTextAsync(Path.Combine(app, ".env"), $"APP_ENV=production\nSLACK_BOT_TOKEN={DeletedSlackToken}\n");
            await File.WriteAllTextAsync(Path.Combine(app, "config.yml"), $"listen: 8080\nstripe_key: {OverwrittenStripeKey}\n");
            File.Copy(key, Path.Combine(app, "key.pem"));
            var doc = Directory.CreateDirectory(Path.Combine(work, "rootfs", "usr", "share", "doc", "sample")).FullName;
            await File.WriteAllTextAsync(Path.Combine(doc, "README"), $"token={BuildArgGitHubToken}\n");
        });
        return Path.Combine(directory, "rootfs");
    }
}
