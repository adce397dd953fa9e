namespace Strata.Secrets.Tests.Assignments;

using Strata.Secrets.Assignments;
using Strata.Testing;

/// <summary>
/// Where secrets are written: every syntax that binds a secret-named key to a value (issue 10), each with a value that
/// must be found and the placeholders, references and code around it that must not. Every value is synthetic.
/// </summary>
public sealed class AssignmentContextTests
{
    /// <summary>(context, path the text is scanned as, text, the rule that must report it or null for no finding at all).</summary>
    public static TheoryData<string, string, string, string?> Contexts => new()
    {
        { "XML element (Maven settings.xml server)", "/root/.m2/settings.xml", "<settings>\n  <servers>\n    <server>\n      <id>releases</id>\n      <username>deployer</username>\n      <password>Hv7qLw2zRk9T</password>\n    </server>\n  </servers>\n</settings>", "SEC-MAVEN-SETTINGS-PASSWORD" },
        { "XML element", "/app/config.xml", "<config><dbPassword>Nf4Kx8Qz2Lw</dbPassword></config>", "SEC-GENERIC-PASSWORD" },
        { "XML element, camelCase text", "/opt/app/settings-security.xml", "<settingsSecurity>\n<password>plainPassphrase</password>\n</settingsSecurity>", "SEC-GENERIC-PASSWORD" },
        { "XML element over lines", "/app/config.xml", "<authToken>\n    Zq8Wn2Lk5Xt9Vr3Mb7\n</authToken>", "SEC-GENERIC-TOKEN" },
        { "XML add key/value (web.config)", "/app/web.config", "<appSettings>\n  <add key=\"ApiKey\" value=\"Pw3Xk9Lq7Zt2Vn5R\" />\n</appSettings>", "SEC-GENERIC-API-KEY" },
        { "XML property name/value (Spring beans)", "/app/beans.xml", "<property name=\"password\" value=\"Gk3Lm8Qw2Zx5\"/>", "SEC-GENERIC-PASSWORD" },
        { "XML name and value elements (Hadoop)", "/etc/hadoop/core-site.xml", "<property>\n  <name>fs.s3a.password</name>\n  <value>Xr4Tq9Lm2Kz8</value>\n</property>", "SEC-GENERIC-PASSWORD" },
        { ".properties a.b.password=", "/app/src/main/resources/application.properties", "spring.datasource.password=Qm7Xk2Lz9Wv4", "SEC-GENERIC-PASSWORD" },
        { ".properties key : value", "/app/app.properties", "db.password : Lz8Kq3Xw7Mv2", "SEC-GENERIC-PASSWORD" },
        { "TOML [section] table", "/app/config.toml", "[database]\nhost = \"db.internal\"\npassword = \"Tw5Lq9Zk3Xm8\"", "SEC-GENERIC-PASSWORD" },
        { "TOML", "/app/config.toml", "[github]\ndeploy_token = \"Kv6Xq2Lz8Wm4Tr9Nb3\"", "SEC-GENERIC-TOKEN" },
        { "INI", "/etc/app/app.ini", "[mysql]\nuser = app\npassword = Rk4Lw9Zq2Xm7", "SEC-GENERIC-PASSWORD" },
        { "Go var with type", "/app/main.go", "var apiKey string = \"Lq8Xw3Zk7Vm2Tn9R\"", "SEC-GENERIC-API-KEY" },
        { "Go short declaration", "/app/main.go", "apiKey := \"Zm2Kq7Lx9Wv4Tn8B\"", "SEC-GENERIC-API-KEY" },
        { "Go backtick string", "/app/main.go", "authToken := `Xk5Lq9Zw3Vm8Tn2Rb7`", "SEC-GENERIC-TOKEN" },
        { "Go struct literal", "/app/db.go", "cfg := Config{\n\tUser:     \"app\",\n\tPassword: \"Wq3Zk8Lm2Xv7\",\n}", "SEC-GENERIC-PASSWORD" },
        { "PHP variable", "/var/www/config.php", "$password = 'Mz7Kq2Lw9Xv4';", "SEC-GENERIC-PASSWORD" },
        { "PHP .= concatenation", "/var/www/lib.php", "$authToken .= 'Tq9Xk3Lz7Wm2Vn8Rb4';", "SEC-GENERIC-TOKEN" },
        { "PHP define()", "/var/www/wp-config.php", "define('DB_PASSWORD', 'Kx8Lq2Zw7Vm3');", "SEC-GENERIC-PASSWORD" },
        { "PHP array =>", "/var/www/config/database.php", "'password' => 'Lm4Xq9Zk2Wv7',", "SEC-GENERIC-PASSWORD" },
        { "Java System.setProperty", "/app/src/Main.java", "System.setProperty(\"SERVICE_TOKEN\", \"Rw7Lq3Zk9Xm2Vn5Tb8\");", "SEC-GENERIC-TOKEN" },
        { "Java String declaration", "/app/src/Db.java", "String password = \"Zq2Xk8Lm4Wv9\";", "SEC-GENERIC-PASSWORD" },
        { "C# const string", "/app/src/Client.cs", "private const string ApiKey = \"Vm9Kq3Lz7Xw2Tn5B\";", "SEC-GENERIC-API-KEY" },
        { "Kotlin typed val", "/app/src/Client.kt", "val apiToken: String = \"Lk4Xq8Zw2Vm7Tn3Rb9\"", "SEC-GENERIC-TOKEN" },
        { "Makefile :=", "/app/Makefile", "DEPLOY_TOKEN := Qz8Lk3Xw7Vm2Tn9Rb4", "SEC-GENERIC-TOKEN" },
        { "Makefile ::=", "/app/Makefile", "DEPLOY_TOKEN ::= Wk2Lq9Zx4Vm7Tn3Rb8", "SEC-GENERIC-TOKEN" },
        { "Makefile :::=", "/app/Makefile", "DEPLOY_TOKEN :::= \"Xq7Lk2Zw9Vm4Tn8Rb3\"", "SEC-GENERIC-TOKEN" },
        { "Makefile ?=", "/app/Makefile", "DEPLOY_TOKEN ?= Zk3Lq8Xw2Vm9Tn4Rb7", "SEC-GENERIC-TOKEN" },
        { "Makefile +=", "/app/Makefile", "DB_PASSWORD += Lw7Kq2Zx9Vm4", "SEC-GENERIC-PASSWORD" },
        { "shell export", "/app/deploy.sh", "export DEPLOY_TOKEN=Mq4Lk9Zx3Vw8Tn2Rb7", "SEC-GENERIC-TOKEN" },
        { "shell set -x trace", "/app/build.log", "+ export DEPLOY_TOKEN=Kz9Lq4Xw8Vm3Tn7Rb2", "SEC-GENERIC-TOKEN" },
        { "shell declare -x", "/app/env.txt", "declare -x DB_PASSWORD=\"Qw8Lk3Zx7Vm2\"", "SEC-GENERIC-PASSWORD" },
        { "curl -H Authorization: Bearer", "/app/deploy.sh", "curl -fsS -H 'Authorization: Bearer Zx8Kq3Lm7Wv2Tn9Rb4Yc6Pd1' https://api.fake.test/v1", "SEC-AUTHORIZATION-BEARER" },
        { "curl -H Authorization: token", "/app/deploy.sh", "curl -H \"Authorization: token Wq8Lk3Zx7Vm2Tn9Rb4Yc6Pd1\" https://api.fake.test/v1", "SEC-AUTHORIZATION-BEARER" },
        { "curl -H X-Api-Key", "/app/deploy.sh", "curl -H \"X-Api-Key: Lq3Zk8Xw2Vm7Tn4R\" https://api.fake.test/v1", "SEC-GENERIC-API-KEY" },
        { "curl -u user:pass", "/app/deploy.sh", "curl -u deployer:Wm8Kq3Lz7Xv2 https://repo.fake.test/upload", "SEC-CLI-USER-PASSWORD" },
        { "mysql -p", "/app/Dockerfile", "RUN mysql -uroot -pWq8Lk3Zx7Vm2 app < /tmp/dump.sql", "SEC-CLI-USER-PASSWORD" },
        { "URL https", "/app/.env", "REPO=https://ci-bot:Tz8Kq3Lm7Wv2Xn9R@git.fake.test/org/repo.git", "SEC-URL-CREDENTIALS" },
        { "URL ftp", "/app/.env", "FTP_URL=ftp://uploader:Qk7Lz2Xw9Vm4@ftp.fake.test/in", "SEC-URL-CREDENTIALS" },
        { "URL of any scheme", "/app/.env", "ES_URL=elasticsearch://elastic:Nq4Lk9Zx3Vw8@es.fake.test:9200", "SEC-URL-CREDENTIALS" },
        { "URL postgres://", "/app/.env", "DATABASE_URL=postgres://app:Rk9Lq4Zx8Wm3@db.fake.test:5432/app", "SEC-DB-URL-POSTGRES" },
        { "URL mysql://", "/app/.env", "DATABASE_URL=mysql://app:Lw3Kq8Zx2Vm7@db.fake.test:3306/app", "SEC-DB-URL-MYSQL" },
        { "URL mongodb+srv://", "/app/.env", "MONGO_URL=mongodb+srv://app:Zq8Lk3Xw7Vm2@cluster0.fake.test/app", "SEC-DB-URL-MONGODB" },
        { "URL redis://", "/app/.env", "REDIS_URL=redis://default:Xk2Lq7Zw9Vm4@cache.fake.test:6379/0", "SEC-DB-URL-REDIS" },
        { "URL amqp://", "/app/.env", "AMQP_URL=amqp://app:Vm7Kq2Lz9Xw4@mq.fake.test:5672/vhost", "SEC-DB-URL-AMQP" },
        { "URL token:x-oauth-basic", "/app/package.json", "\"dep\": \"git+https://9b4e2c7a1f5d8b3e6a0c4f9d2b7e1a5c8f3d6b0e:x-oauth-basic@git.fake.test/org/dep.git\"", "SEC-URL-CREDENTIALS" },
        { ".netrc single line", "/root/.netrc", "machine api.fake.test login ci password Kq8Lz3Xw7Vm2", "SEC-NETRC-PASSWORD" },
        { ".netrc over lines", "/root/.netrc", "machine api.fake.test\n  login ci\n  password Lw3Kq8Zx2Vm7", "SEC-NETRC-PASSWORD" },
        { ".netrc default entry", "/root/.netrc", "default login ci password Zx7Kq2Lw9Vm4", "SEC-NETRC-PASSWORD" },
        { ".netrc password before login", "/root/.netrc", "machine git.fake.test password Qm9Lk4Zx8Wv3 login ci", "SEC-NETRC-PASSWORD" },
        { ".git-credentials", "/root/.git-credentials", "https://ci-bot:Wz4Lq9Kx3Vm8Tn2R@git.fake.test", "SEC-URL-CREDENTIALS" },
        { ".pypirc [pypi] password:", "/root/.pypirc", "[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = ci-bot\npassword: Rz8Lq3Kw7Xm2Vn9T", "SEC-PYPIRC-PASSWORD" },
        { ".npmrc //registry/:_authToken", "/root/.npmrc", "//registry.fake.test/:_authToken=Lq8Zk3Xw7Vm2Tn9Rb4Yc6", "SEC-NPMRC-AUTH-TOKEN" },
        { ".npmrc _authToken without prefix", "/root/.npmrc", "_authToken=Zx3Kq8Lw2Vm7Tn4Rb9Yc1", "SEC-NPMRC-AUTH-TOKEN" },
        { ".npmrc _auth", "/root/.npmrc", "_auth=Y2ktYm90OlJ6OExxM0t3N1htMlZu", "SEC-NPMRC-AUTH" },
        { ".npmrc //registry/:_password quoted", "/root/.npmrc", "//registry.fake.test/:_password=\"UnE4THEzS3c3WG0yVm45\"", "SEC-NPMRC-AUTH" },
        { "docker config.json auths.*.auth", "/root/.docker/config.json", "{\n  \"auths\": {\n    \"registry.fake.test\": {\n      \"auth\": \"Y2ktYm90OlJ6OExxM0t3N1htMlZu\"\n    }\n  }\n}", "SEC-DOCKER-CONFIG-AUTH" },
        { "docker config.json identitytoken", "/root/.docker/config.json", "{\"auths\": {\"fakecr.azurecr.io\": {\"identitytoken\": \"Kq8Lz3Xw7Vm2Tn9Rb4Yc6Pd1Hj5\"}}}", "SEC-DOCKER-CONFIG-IDENTITY-TOKEN" },
        { "JSON string", "/app/app.json", "{\n    \"service_token\": \"Tb6Kq1Lz8Xw3Vm9Rn4\"\n}", "SEC-GENERIC-TOKEN" },
        { "JSON-escaped env file", "/app/app.json", "{\"config.ini\": \"SERVICE_TOKEN=Tb6Kq1Lz8Xw3Vm9Rn4\\nBACKUP_ENABLED=true\"}", "SEC-GENERIC-TOKEN" },
        { "YAML unquoted", "/app/app.yaml", "service_token: Tb6Kq1Lz8Xw3Vm9Rn4", "SEC-GENERIC-TOKEN" },
        { "YAML single-quoted", "/app/app.yaml", "service_token: 'Tb6Kq1Lz8Xw3Vm9Rn4'", "SEC-GENERIC-TOKEN" },
        { "Python string", "/app/app.py", "serviceToken = 'Tb6Kq1Lz8Xw3Vm9Rn4'", "SEC-GENERIC-TOKEN" },
        { "Logstash =>", "/app/logstash.conf", "  \"serviceToken\" => \"Tb6Kq1Lz8Xw3Vm9Rn4\"", "SEC-GENERIC-TOKEN" },
        { "SQL WITH PASSWORD", "/app/init.sql", "CREATE USER app WITH PASSWORD 'Zt5Yq8Wr2Ex';", "SEC-GENERIC-PASSWORD" },
        { "quoted value with symbols and spaces", "/app/app.conf", "password = \"Kq8 Lz3# Xw7!\"", "SEC-GENERIC-PASSWORD" },
        { "quoted passphrase of words", "/app/app.conf", "passphrase = \"quiet lanterns drift over copper hills\"", "SEC-GENERIC-PASSWORD" },
        { "unquoted value with symbols", "/app/app.conf", "apikey = m{{x}q)t${r]lob(aze[kinds>-_$#veryone}}", "SEC-GENERIC-API-KEY" },
        { "literal compared with a key", "/app/app.py", "if (\"R7k!pQ2#zL9w\" == db_password):", "SEC-GENERIC-PASSWORD" },
        { "C++ constructor", "/app/app.cpp", "std::string secret(\"Wq3#Lk8!Zx2$Vm7\");", "SEC-GENERIC-SECRET" },
        { "C array", "/app/app.c", "char db_password[32] = \"Xq7#Lk2!Zw9\";", "SEC-GENERIC-PASSWORD" },
        { "setter call", "/app/App.java", "ds.setPassword(\"Kz4#Lq8!Xw2\");", "SEC-GENERIC-PASSWORD" },
        { "long lowercase literal", "/app/app.swift", "let password = \"hopeitstaysunknown\"", "SEC-GENERIC-PASSWORD" },
        { "base64 auth string", "/app/app.json", "\"user_auth\": \"Zk8Lq3Xw7Vm2Tn9Rb4Yc6Pd1Hj5=\"", "SEC-GENERIC-CREDENTIALS" },
        { "credentials hex", "/app/app.json", "\"credentials\" : \"7f3c9a1e5b8d2f6a0c4e8b1d5f9a3c7e2b6d0f4a\"", "SEC-GENERIC-CREDENTIALS" },
        { "private-key", "/app/app.yaml", "private-key: Lq8Zk3Xw7Vm2Tn9Rb4Yc6Pd1Hj5Mf0Gs", "SEC-GENERIC-SECRET" },
        { "Go unquoted random token", "/app/main.go", "dbPass := Kq8#Lz3!Xw7$Vm2^Tn9&Rb4", "SEC-GENERIC-PASSWORD" },
        { "installed package, long random literal", "/usr/lib/python3/dist-packages/app/settings.py", "API_TOKEN = \"Kq8Lz3Xw7Vm2Tn9Rb4Yc6Pd1Hj5Mf0Gs\"", "SEC-GENERIC-TOKEN" },
        { "installed package, provider token", "/usr/local/lib/python3.11/site-packages/app/conf.py", "aws_access_key_id = \"AKIAQX7LZ2KW6VM4TN3R\"", "SEC-AWS-ACCESS-KEY-ID" },
        { "call (Python)", "/app/app.py", "password = os.getenv(\"DB_PASSWORD\")", null },
        { "member access", "/app/app.py", "password = config.password", null },
        { "format string %s", "/app/app.py", "password = \"%s\"", null },
        { "f-string", "/app/app.py", "password = f\"{prefix}{suffix}\"", null },
        { "format {}", "/app/app.py", "password = \"{}\"", null },
        { "format {name}", "/app/app.py", "password = \"{password}\"", null },
        { "call", "/app/app.py", "token = get_token()", null },
        { "attribute", "/app/app.py", "api_key = self._api_key", null },
        { "prompt", "/app/app.py", "password = input(\"Password: \")", null },
        { "unquoted identifier in code", "/app/app.py", "password = hunter2hunter", null },
        { "getpass.py", "/usr/lib/python3.11/getpass.py", "                    passwd = _raw_input(prompt, stream, input=input)", null },
        { "urllib docstring", "/usr/lib/python3.11/urllib/request.py", "                      passwd='geheim$parole')", null },
        { "installed package, short literal", "/usr/lib/python3/dist-packages/app/settings.py", "password = \"Lk8Zq3Xw7Vm2\"", null },
        { "installed package, hex digest", "/usr/share/go-1.19/src/crypto/x509/keys.go", "var privateKeyHex = `3078020100301006072a8648ce3d020106052b8104002104613`", null },
        { "${VAR}", "/app/app.yaml", "password: ${DB_PASSWORD}", null },
        { "{{ template }}", "/app/app.yaml", "password: \"{{ .Values.db.password }}\"", null },
        { "<placeholder>", "/app/app.yaml", "password: <your-password>", null },
        { "%(name)s", "/app/app.yaml", "password: \"%(db_password)s\"", null },
        { "#{interpolation}", "/app/app.rb", "password = \"#{ENV['DB_PASSWORD']}\"", null },
        { "$(command)", "/app/deploy.sh", "export DB_PASSWORD=$(cat /run/secrets/db)", null },
        { "Makefile $(shell)", "/app/Makefile", "PASSWORD := $(shell cat /run/secrets/db)", null },
        { "changeme", "/app/app.yaml", "password: changeme", null },
        { "boolean", "/app/app.yaml", "password: true", null },
        { "boolean alternatives", "/etc/java/management.properties", "# jmxremote.password.toHashes = true|false", null },
        { "short number", "/app/app.yaml", "password: 1234", null },
        { "path by name", "/app/app.yaml", "password_file: /run/secrets/db", null },
        { "path by value", "/app/app.yaml", "password: /run/secrets/db_password", null },
        { "URL without credentials", "/app/app.yaml", "api_key: https://api.fake.test/v1", null },
        { "documentation value", "/app/app.yaml", "api_key: your_api_key_here", null },
        { "example value", "/app/app.yaml", "api_key: \"EXAMPLE-KEY-0000-0000\"", null },
        { "masked", "/app/test.env", "API_KEY=xxxxxxxxxxxxxxxxxxxx", null },
        { "kebab-case name", "/app/app.yaml", "secret: my-app-secret", null },
        { "secretName", "/app/app.yaml", "secretName: tls-cert", null },
        { "existingSecret", "/app/app.yaml", "existingSecret: postgresCredentials", null },
        { "alphabet", "/app/app.yaml", "token: abcdefghijklmnopqrstuvwxyz", null },
        { "digits", "/app/app.yaml", "token: 12345678901234567890", null },
        { "sequence inside", "/app/.env", "SERVICE_TOKEN=tok123456789012345678a9bc01", null },
        { "environment reference (JS)", "/app/app.js", "const apiKey = process.env.API_KEY;", null },
        { "field name as value", "/app/app.js", "const API_KEY = \"api_key\";", null },
        { "comparison with empty", "/app/app.go", "if password == \"\" {", null },
        { "request parameter (Java)", "/app/App.java", "String password = request.getParameter(\"password\");", null },
        { "constant naming a field", "/app/App.java", "private static final String PASSWORD_FIELD = \"password\";", null },
        { "C# cancellation token", "/app/App.cs", "var token = await GetTokenAsync(cancellationToken);", null },
        { "single-quoted in C", "/app/app.c", "char *api_key = 'Kq8Lz3Xw7Vm2Tn9R';", null },
        { "message", "/app/forms.py", "'password_mismatch': _(\"The two password fields didn't match.\"),", null },
        { "translation", "/app/strings.json", "{\"password\": \"Passwort\", \"forgot_password\": \"Passwort vergessen?\"}", null },
        { "sentence", "/app/app.properties", "password.reset.message=Your password has been reset", null },
        { "token_type", "/app/app.yaml", "token_type: bearer", null },
        { "CSRF token", "/app/form.html", "<input type=\"hidden\" name=\"authenticity_token\" value=\"Zq8Wn2Lk5Xt9Vr3Mb7Kc4\">", null },
        { "curl -u variables", "/app/deploy.sh", "curl -u \"$USER:$PASSWORD\" https://repo.fake.test/", null },
        { "curl -u placeholder", "/app/README.txt", "curl -u <user:password> https://api.fake.test/", null },
        { "Bearer variable", "/app/deploy.sh", "curl -H \"Authorization: Bearer $TOKEN\" https://api.fake.test/", null },
        { "URL with a variable", "/app/.env", "DATABASE_URL=postgres://app:${DB_PASSWORD}@db.fake.test/app", null },
        { "URL without userinfo", "/app/.env", "DATABASE_URL=postgres://db.fake.test:5432/app", null },
        { "URL placeholder", "/app/README.txt", "Connect with postgres://user:password@localhost/app", null },
        { "URL format string", "/app/app.py", "url = \"%s://%s:%s@%s\" % (scheme, user, password, host)", null },
        { ".netrc variable", "/root/.netrc", "machine ftp.fake.test login ci password ${NETRC_PASSWORD}", null },
        { ".netrc anonymous", "/root/.netrc", "default login anonymous password guest@mail.fake.test", null },
        { ".npmrc variable", "/root/.npmrc", "//registry.fake.test/:_authToken=${NPM_TOKEN}", null },
        { ".npmrc switch", "/root/.npmrc", "always-auth=true", null },
        { ".pypirc placeholder", "/root/.pypirc", "[pypi]\nusername = __token__\npassword = <your token>", null },
        { "docker credsStore", "/root/.docker/config.json", "{\"auths\": {\"registry.fake.test\": {\"auth\": \"\"}}, \"credsStore\": \"desktop\"}", null },
        { "Maven encrypted", "/root/.m2/settings.xml", "<server><id>r</id><password>{COQLCE6DU6GtcS5P=}</password></server>", null },
        { "Maven property", "/root/.m2/settings.xml", "<password>${env.REPO_PASSWORD}</password>", null },
        { "XML setting", "/app/web.config", "<add key=\"PasswordLength\" value=\"12\" />", null },
        { "XML word", "/etc/dbus-1/system.conf", "<auth>EXTERNAL</auth>", null },
        { "Ansible vault", "/app/app.yaml", "password: !vault |", null },
        { "jasypt ENC()", "/app/app.yaml", "db_password: ENC(Lq8Zk3Xw7Vm2Tn9R)", null },
        { "AWS ARN", "/app/app.yaml", "password: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-Ab12Cd", null },
        { "OpenSSL env: source", "/etc/ssl/app.cnf", "output_password = env:CA_PASSWORD", null },
        { "base64 of a placeholder", "/app/app.yaml", "password: 'bm90IG15IHJlYWwgcGFzc3dvcmQ='", null },
        { "regular expression", "/app/syntax.vim", "syn match fooTokenName \"\\<io\\.jwt\\.verify_\\(rs\\|ps\\)\\(256\\|384\\)\\>\"", null },
        { "backquoted command", "/app/lib.pl", "chomp($dbpwd = `command /c cd`);", null },
        { "Perl working directory", "/app/lib.pl", "my $pwd = Cwd::getcwd();", null },
        { "allow comment (detect-secrets)", "/app/app.py", "password = \"Lk8Zq3Xw7Vm2\"  # pragma: allowlist secret", null },
        { "allow comment (gitleaks)", "/app/app.py", "password = \"Lk8Zq3Xw7Vm2\"  # gitleaks:allow", null },
        { "allow comment on the line before", "/app/app.py", "# strata:allow-next-line\npassword = \"Lk8Zq3Xw7Vm2\"", null },
        { "masked value", "/app/app.py", "password = \"********\"", null },
        { "sample word", "/etc/tcl/http.tm", "#     http://jschmoe:xyzzy@www.bogus.test:8000/foo/bar.tml", null },
        { "help text", "/app/completion.sh", "      --password string", null },
        { "author", "/app/app.yaml", "author: jane.doe@mail.fake.test", null },
        { "auth scheme", "/app/app.yaml", "auth: basic", null },
        { "Jenkins credentialsId", "/app/Jenkinsfile", "withCredentials([usernamePassword(credentialsId: 'b1d6c3e7-9a2f-4d6a-8c0e-1f3b5d7a9c2e', usernameVariable: 'USER', passwordVariable: 'PASS')]) {", null },
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Each_context_is_found_by_its_rule_or_not_at_all(string context, string path, string text, string? rule)
    {
        var found = BuiltInSecrets.Scanner.ScanText(text, path);
        if (rule is null)
        {
            Assert.True(found.Count == 0, $"{context}: {string.Join(", ", found)}");
        }
        else
        {
            Assert.True(found.Any(m => m.Rule.Id == rule), $"{context}: expected {rule}, found [{string.Join(", ", found)}]");
        }
    }

    [Fact]
    public void The_table_covers_every_context_of_the_issue_with_positives_and_negatives()
    {
        var rules = Contexts.Select(row => (string?)row[3]).ToList();
        Assert.True(rules.Count(r => r is not null) >= 70, "too few positive rows");
        Assert.True(rules.Count(r => r is null) >= 70, "too few negative rows");
    }

    [Theory]
    [InlineData("/usr/lib/python3.11/getpass.py", AssignmentSource.PackageCode)]
    [InlineData("/usr/local/lib/python3.12/site-packages/requests/auth.py", AssignmentSource.PackageCode)]
    [InlineData("/app/.venv/lib/python3.11/site-packages/x/y.py", AssignmentSource.PackageCode)]
    [InlineData("/app/node_modules/left-pad/index.js", AssignmentSource.PackageCode)]
    [InlineData("/usr/lib/jvm/java-17-openjdk-amd64/lib/security/java.security", AssignmentSource.PackageCode)]
    [InlineData("/usr/local/go/src/net/url/url.go", AssignmentSource.PackageCode)]
    [InlineData("/usr/share/perl5/Net/SMTP.pm", AssignmentSource.PackageCode)]
    [InlineData("/usr/lib/x86_64-linux-gnu/perl-base/Cwd.pm", AssignmentSource.PackageCode)]
    [InlineData("/usr/local/bundle/gems/rack-3.0.8/lib/rack/auth/basic.rb", AssignmentSource.PackageCode)]
    [InlineData("/app/settings.py", AssignmentSource.Code)]
    [InlineData("/usr/src/app/index.js", AssignmentSource.Code)]
    [InlineData("/app/main.go", AssignmentSource.GoCode)]
    [InlineData("/app/src/Client.cs", AssignmentSource.CFamilyCode)]
    [InlineData("/etc/app/app.ini", AssignmentSource.Config)]
    [InlineData("/usr/local/bin/entrypoint.sh", AssignmentSource.Config)]
    [InlineData("/app/.env", AssignmentSource.Config)]
    public void Sources_are_told_by_path(string path, AssignmentSource source) => Assert.Equal(source, AssignmentSources.Of(path));

    [Theory]
    [InlineData("DB_PASSWORD", SecretKeyKind.Password)]
    [InlineData("dbPass", SecretKeyKind.Password)]
    [InlineData("mysql_pwd", SecretKeyKind.Password)]
    [InlineData("aws_secret_access_key", SecretKeyKind.Credential)]
    [InlineData("x-api-key", SecretKeyKind.Credential)]
    [InlineData("APIKEY", SecretKeyKind.Credential)]
    [InlineData("signingKey", SecretKeyKind.Credential)]
    [InlineData("user_auth", SecretKeyKind.Credential)]
    [InlineData("my_password_super_secure", SecretKeyKind.Password)]
    [InlineData("PASSWORD_FILE", SecretKeyKind.None)]
    [InlineData("password_min_length", SecretKeyKind.None)]
    [InlineData("show_password", SecretKeyKind.None)]
    [InlineData("csrf_token", SecretKeyKind.None)]
    [InlineData("tokenizer", SecretKeyKind.None)]
    [InlineData("public_key", SecretKeyKind.None)]
    [InlineData("primaryKey", SecretKeyKind.None)]
    [InlineData("secretName", SecretKeyKind.None)]
    [InlineData("passenger", SecretKeyKind.None)]
    [InlineData("author", SecretKeyKind.None)]
    [InlineData("pwd", SecretKeyKind.None)]
    [InlineData("cancellationToken", SecretKeyKind.None)]
    public void Key_names_are_read_word_by_word(string key, SecretKeyKind kind) => Assert.Equal(kind, SecretKeyName.Classify(key));

    [Fact]
    public void An_unknown_fragment_is_refused_with_its_rule()
    {
        const string Rules = """
            rules:
              - id: SEC-ACME-TOKEN
                title: ACME token
                severity: HIGH
                keywords: ['acme']
                regex: '(?&nonesuch)(?<secret>x)'
                explanation: An ACME token.
                remediation: Revoke it.
                references: ['https://acme.fake.test']
            """;
        var error = Assert.Throws<Strata.Core.StrataException>(() => SecretRuleReader.Parse(Rules, "extra.yaml"));
        Assert.Contains("SEC-ACME-TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Contains("(?&nonesuch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_rule_may_use_the_fragments()
    {
        const string Rules = """
            rules:
              - id: SEC-ACME-KEY
                title: ACME key
                severity: HIGH
                keywords: ['acme']
                regex: '(?i)acme[_.-]?key(?&assign)(?<secret>acme_[a-z0-9]{16})'
                explanation: An ACME key.
                remediation: Revoke it.
                references: ['https://acme.fake.test']
              - id: SEC-ACME-SECRET
                title: ACME secret
                severity: HIGH
                keywords: ['acme']
                regex: '(?i)(?&keyword-assignment:acme[_.-]?secret)'
                validate: keyword-assignment
                explanation: An ACME secret.
                remediation: Revoke it.
                references: ['https://acme.fake.test']
            """;
        var scanner = new SecretScanner(new SecretScannerConfig { Rules = SecretRuleReader.Parse(Rules, "extra.yaml") });
        Assert.Contains(scanner.ScanText("System.setProperty(\"ACME_KEY\", \"acme_k3x9q2l8z7w4v6m1\");", "/app/App.java"), m => m.Rule.Id == "SEC-ACME-KEY");
        Assert.Contains(scanner.ScanText("<acmeSecret>\n  Rz8Kq3Lm7Xv2Tn6W\n</acmeSecret>", "/app/app.xml"), m => m.Rule.Id == "SEC-ACME-SECRET");
        Assert.DoesNotContain(scanner.ScanText("acme_secret = os.environ[\"ACME_SECRET\"]", "/app/app.py"), m => m.Rule.Id == "SEC-ACME-SECRET");
    }
}
