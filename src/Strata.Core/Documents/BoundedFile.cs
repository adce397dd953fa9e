namespace Strata.Core.Documents;

/// <summary>Reads a whole input file only when it exists, is readable and is no larger than a bound.</summary>
public static class BoundedFile
{
    /// <param name="what">What the file is, for messages, e.g. "a document" or "an ignore file".</param>
    public static byte[] ReadAllBytes(string path, long maxBytes = Limits.MaxDocumentBytes, string what = "a document")
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw StrataException.Usage($"{path}: no such file.");
            }

            if (info.Length > maxBytes)
            {
                throw StrataException.BadInput($"{path}: {info.Length} bytes is more than the {maxBytes} bytes allowed for {what}.");
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw StrataException.Usage($"{path}: no such file.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.Usage($"{path}: cannot read: {e.Message}");
        }
    }

    public static string ReadAllText(string path, long maxBytes = Limits.MaxDocumentBytes, string what = "a document") =>
        new System.Text.UTF8Encoding(false).GetString(ReadAllBytes(path, maxBytes, what)).TrimStart('\uFEFF');
}
