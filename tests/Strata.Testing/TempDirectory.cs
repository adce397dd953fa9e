namespace Strata.Testing;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "strata-test")
    {
        // A suffix of lower-case letters only: Directory.CreateTempSubdirectory's mixed-case and digit suffix can look
        // like a token to the redaction of quoted paths (by design), which made messages that name the path flaky.
        for (var attempt = 0; ; attempt++)
        {
            var name = prefix + "-" + string.Create(10, 0, static (span, _) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = (char)('a' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(26));
                }
            });
            var candidate = System.IO.Path.Combine(System.IO.Path.GetTempPath(), name);
            try
            {
                // CreateDirectory succeeds on an existing directory: claim the name with a marker created exclusively.
                Directory.CreateDirectory(candidate);
                using (new FileStream(System.IO.Path.Combine(candidate, ".strata-temp"), FileMode.CreateNew))
                {
                }

                File.Delete(System.IO.Path.Combine(candidate, ".strata-temp"));
                Path = candidate;
                return;
            }
            catch (IOException) when (attempt < 10)
            {
            }
        }
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string WriteFile(string relative, string content)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is not a test failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
