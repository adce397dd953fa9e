namespace Strata.Testing;

using System.Text;

/// <summary>
/// A secret written into a planted tree: the file, the line of the secret value, the lines of the
/// whole construct (a PEM block from BEGIN to END, a JSON key file) and the rule that must find it.
/// </summary>
public sealed record PlantedSecret(string Path, int Line, int FirstLine, int EndLine, string RuleId);

/// <summary>
/// Writes the credential files an image typically leaks (dotfiles, key files, app configs) with
/// synthetic secrets of the right shape, plus placeholder files that must stay quiet. Shared by
/// the tests and by bench/secrets (linked source).
/// </summary>
public static class PlantedSecrets
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Hex = "0123456789abcdef";
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static IReadOnlyList<PlantedSecret> Plant(string root, int seed = 7)
    {
        var random = new Random(seed);
        string Rnd(string set, int n) => new([.. Enumerable.Range(0, n).Select(_ => set[random.Next(set.Length)])]);
        string B64(int bytes)
        {
            var data = new byte[bytes];
            random.NextBytes(data);
            return Convert.ToBase64String(data);
        }

        string Pem(string label, string derPrefix, int bytes)
        {
            var body = derPrefix + B64(bytes);
            body = body[..(body.Length / 4 * 4)];
            var lines = Enumerable.Range(0, (body.Length + 63) / 64).Select(i => body.Substring(i * 64, Math.Min(64, body.Length - (i * 64))));
            return $"-----BEGIN {label}-----\n{string.Join('\n', lines)}\n-----END {label}-----\n";
        }

        var planted = new List<PlantedSecret>();
        void Write(string path, string content, params (int Line, string RuleId)[] secrets)
        {
            var full = InsideRoot(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            foreach (var (line, rule) in secrets)
            {
                planted.Add(new PlantedSecret(path, line, line, line, rule));
            }
        }

        void WriteKey(string path, string pem, string ruleId)
        {
            var full = InsideRoot(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, pem);
            planted.Add(new PlantedSecret(path, 2, 1, pem.Count(c => c == '\n'), ruleId));
        }

        Write("/root/.npmrc", $"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={SecretTokens.WithChecksum("npm_", Rnd(Alnum, 30))}\n", (2, "SEC-NPM-ACCESS-TOKEN"));
        Write("/home/app/.git-credentials", $"https://ci-bot:{SecretTokens.WithChecksum("ghp_", Rnd(Alnum, 30))}@github.com\nhttps://deploy:{Rnd(Alnum, 20)}@git.internal.test\n", (1, "SEC-GITHUB-CLASSIC-PAT"), (2, "SEC-URL-CREDENTIALS"));
        Write("/root/.netrc", $"machine api.internal.test login ci password {Rnd(Alnum, 18)}\n", (1, "SEC-NETRC-PASSWORD"));
        var auth = Convert.ToBase64String(Encoding.ASCII.GetBytes("ci-bot:" + Rnd(Alnum, 24)));
        Write("/root/.docker/config.json", $"{{\n  \"auths\": {{\n    \"registry.internal.test\": {{\n      \"auth\": \"{auth}\"\n    }}\n  }}\n}}\n", (4, "SEC-DOCKER-CONFIG-AUTH"));
        var keyData = Convert.ToBase64String(Encoding.ASCII.GetBytes(Pem("RSA PRIVATE KEY", "MIIEowIBAAKCAQEA", 600)));
        Write(
            "/root/.kube/config",
            $"apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n    client-key-data: {keyData}\n- name: deployer\n  user:\n    token: {Rnd(Alnum, 48)}\n",
            (7, "SEC-KUBECONFIG-CLIENT-KEY"),
            (10, "SEC-KUBECONFIG-TOKEN"));
        WriteKey("/root/.ssh/id_rsa", Pem("RSA PRIVATE KEY", "MIIEowIBAAKCAQEA", 1190), "SEC-PRIVATE-KEY-RSA");
        WriteKey("/etc/ssl/private/server.key", Pem("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 1190), "SEC-PRIVATE-KEY-PKCS8");
        WriteKey("/root/.ssh/id_ed25519", OpenSshKey(random, "none"), "SEC-PRIVATE-KEY-OPENSSH");
        var encrypted = Pem("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 1190).Replace("-----\n", $"-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,{Rnd(Hex, 32).ToUpperInvariant()}\n\n", StringComparison.Ordinal);
        encrypted = encrypted.Replace("-----END RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED", "-----END RSA PRIVATE KEY-----", StringComparison.Ordinal);
        var encryptedFull = InsideRoot(root, "/root/.ssh/id_rsa_legacy");
        File.WriteAllText(encryptedFull, encrypted);
        planted.Add(new PlantedSecret("/root/.ssh/id_rsa_legacy", 5, 1, encrypted.Count(c => c == '\n'), "SEC-PRIVATE-KEY-PEM-ENCRYPTED"));
        Write(
            "/app/.env",
            "# application settings\n" +
            $"AWS_ACCESS_KEY_ID=AKIA{Rnd(Base32, 16)}\n" +
            $"AWS_SECRET_ACCESS_KEY={Rnd(Alnum + "+/", 40)}\n" +
            $"STRIPE_SECRET_KEY=sk_live_{Rnd(Alnum, 32)}\n" +
            $"DATABASE_URL=postgresql://app:{Rnd(Alnum, 18)}@db.internal.test:5432/app\n" +
            $"SLACK_WEBHOOK=https://hooks.slack.com/services/T{Rnd(Base32, 10)}/B{Rnd(Base32, 10)}/{Rnd(Alnum, 24)}\n" +
            "LOG_LEVEL=info\n" +
            $"ADMIN_PASSWORD={Rnd(Alnum, 14)}\n",
            (2, "SEC-AWS-ACCESS-KEY-ID"),
            (3, "SEC-AWS-SECRET-ACCESS-KEY"),
            (4, "SEC-STRIPE-SECRET-KEY"),
            (5, "SEC-DB-URL-POSTGRES"),
            (6, "SEC-SLACK-WEBHOOK"),
            (8, "SEC-GENERIC-PASSWORD"));
        Write(
            "/app/src/main/resources/application.properties",
            $"server.port=8080\nspring.datasource.url=jdbc:mysql://db.internal.test:3306/app?user=app&password={Rnd(Alnum, 16)}\nspring.datasource.password={Rnd(Alnum, 16)}\n",
            (2, "SEC-JDBC-PASSWORD"),
            (3, "SEC-GENERIC-PASSWORD"));
        var saKey = Pem("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 600).Replace("\n", "\\n", StringComparison.Ordinal);
        Write(
            "/app/config/service-account.json",
            $"{{\n  \"type\": \"service_account\",\n  \"project_id\": \"internal-project\",\n  \"private_key_id\": \"{Rnd(Hex, 40)}\",\n  \"private_key\": \"{saKey}\",\n  \"client_email\": \"ci@internal-project.iam.gserviceaccount.com\"\n}}\n",
            (5, "SEC-GCP-SERVICE-ACCOUNT-KEY"));
        planted[^1] = planted[^1] with { FirstLine = 1, EndLine = 7 };
        Write("/etc/nginx/.htpasswd", $"admin:$2y$05${Rnd("./" + Alnum, 53)}\n", (1, "SEC-HTPASSWD-BCRYPT"));
        Write(
            "/app/k8s/secret.yaml",
            $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: {Convert.ToBase64String(Encoding.ASCII.GetBytes(Rnd(Alnum, 18)))}\n",
            (7, "SEC-KUBERNETES-SECRET-MANIFEST"));
        Write("/root/.pypirc", $"[distutils]\nindex-servers = internal\n\n[pypi]\nusername = ci\npassword = {Rnd(Alnum, 20)}\n", (6, "SEC-PYPIRC-PASSWORD"));
        Write(
            "/app/nuget.config",
            $"<configuration>\n  <packageSourceCredentials>\n    <internal>\n      <add key=\"Username\" value=\"ci\" />\n      <add key=\"ClearTextPassword\" value=\"{Rnd(Alnum, 24)}\" />\n    </internal>\n  </packageSourceCredentials>\n</configuration>\n",
            (5, "SEC-NUGET-CONFIG-PASSWORD"));
        Write("/home/app/.config/gh/hosts.yml", $"github.com:\n    user: ci-bot\n    oauth_token: {SecretTokens.WithChecksum("gho_", Rnd(Alnum, 30))}\n    git_protocol: https\n", (3, "SEC-GITHUB-OAUTH-TOKEN"));
        Write("/opt/app/deploy.sh", $"#!/bin/sh\nset -e\nexport GITLAB_TOKEN=glpat-{Rnd(Alnum, 20)}\ncurl -fsS -H \"Authorization: Bearer {Rnd(Alnum, 40)}\" https://api.internal.test/deploy\n", (3, "SEC-GITLAB-PAT"), (4, "SEC-AUTHORIZATION-BEARER"));
        var jwtHeader = Base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        var jwtPayload = Base64Url("{\"iss\":\"kubernetes/serviceaccount\",\"sub\":\"system:serviceaccount:app:default\"}");
        Write("/srv/app/token", $"{jwtHeader}.{jwtPayload}.{Rnd(Alnum + "-_", 86)}\n", (1, "SEC-JWT"));
        Write(
            "/app/.env.production",
            $"OPENAI_API_KEY=sk-proj-{Rnd(Alnum, 40)}T3BlbkFJ{Rnd(Alnum, 40)}\nANTHROPIC_API_KEY=sk-ant-api03-{Rnd(Alnum, 93)}AA\nSENDGRID_API_KEY=SG.{Rnd(Alnum, 22)}.{Rnd(Alnum, 43)}\n",
            (1, "SEC-OPENAI-API-KEY"),
            (2, "SEC-ANTHROPIC-API-KEY"),
            (3, "SEC-SENDGRID-API-KEY"));

        // Files that look like secrets but are placeholders or public samples: they must stay quiet.
        Write(
            "/app/.env.example",
            "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nDB_PASSWORD=changeme\nAPI_KEY=your_api_key_here\n" +
            "DATABASE_URL=postgresql://app:${DB_PASSWORD}@db:5432/app\nGITHUB_TOKEN=<token>\nSECRET_KEY=xxxxxxxxxxxxxxxxxxxxxxxx\n");
        Write("/app/docker-compose.yml", "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n      password_file: /run/secrets/db\n");
        return planted;
    }

    /// <summary>
    /// The path under <paramref name="root"/>, refusing to go through a symbolic link: in a real
    /// root filesystem /var/run links to /run, which would plant the file on the host.
    /// </summary>
    private static string InsideRoot(string root, string path)
    {
        var current = root;
        foreach (var part in path.Trim('/').Split('/'))
        {
            current = Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw new InvalidOperationException($"{current} is a symbolic link; refusing to plant through it.");
            }
        }

        return current;
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A structurally valid OpenSSH private key container with random key bytes.</summary>
    private static string OpenSshKey(Random random, string cipher)
    {
        using var data = new MemoryStream();
        void Bytes(byte[] b) => data.Write(b);
        void String(byte[] b)
        {
            Bytes([(byte)(b.Length >> 24), (byte)(b.Length >> 16), (byte)(b.Length >> 8), (byte)b.Length]);
            Bytes(b);
        }

        byte[] RandomBytes(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }

        Bytes("openssh-key-v1\0"u8.ToArray());
        String(Encoding.ASCII.GetBytes(cipher));
        String("none"u8.ToArray());
        String([]);
        Bytes([0, 0, 0, 1]);
        String([.. "\0\0\0\vssh-ed25519"u8.ToArray(), 0, 0, 0, 32, .. RandomBytes(32)]);
        String(RandomBytes(144));
        var body = Convert.ToBase64String(data.ToArray());
        var lines = Enumerable.Range(0, (body.Length + 69) / 70).Select(i => body.Substring(i * 70, Math.Min(70, body.Length - (i * 70))));
        return $"-----BEGIN OPENSSH PRIVATE KEY-----\n{string.Join('\n', lines)}\n-----END OPENSSH PRIVATE KEY-----\n";
    }
}
