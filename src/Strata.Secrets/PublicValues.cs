namespace Strata.Secrets;

/// <summary>
/// Values that have a credential's shape but grant nothing to whoever reads them: samples printed in vendor
/// documentation and tutorials, and keys that are public by design. They are reported at INFO with the reason, never
/// above: a scanner that hides them entirely cannot show why a user's copy of one was not flagged, and one that reports
/// them as HIGH sends every user of the AWS SDK chasing its docstrings.
/// </summary>
internal static class PublicValues
{
    private const string FirebaseSample = "an example key of the Firebase SDK sources and test apps";

    /// <summary>One documented value and where it is published.</summary>
    private static readonly Dictionary<string, string> Documented = new(StringComparer.Ordinal)
    {
        ["AKIAIOSFODNN7EXAMPLE"] = "the sample access key ID of the AWS documentation",
        ["AKIAI44QH8DHBEXAMPLE"] = "the sample access key ID of the AWS documentation",
        ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"] = "the sample secret access key of the AWS documentation",
        ["je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"] = "the sample secret access key of the AWS documentation",
        ["AIzaSyabcdefghijklmnopqrstuvwxyz1234567"] = FirebaseSample,
        ["AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs"] = FirebaseSample,
        ["AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM"] = FirebaseSample,
        ["AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU"] = FirebaseSample,
        ["AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0"] = FirebaseSample,
        ["AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A"] = FirebaseSample,
        ["AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c"] = FirebaseSample,
        ["AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4"] = FirebaseSample,
        ["AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY"] = FirebaseSample,
        ["AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM"] = FirebaseSample,
        ["AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ"] = FirebaseSample,
        ["AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g"] = FirebaseSample,
        ["AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU"] = FirebaseSample,
        ["AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw"] = FirebaseSample,
        ["AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE"] = FirebaseSample,
        ["AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY"] = FirebaseSample,
        ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"] = "the sample token of jwt.io, signed with the published key 'your-256-bit-secret'",
    };

    /// <summary>File extensions of web assets: code and pages that a browser downloads.</summary>
    private static readonly HashSet<string> WebAssetExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".vue", ".svelte", ".html", ".htm", ".map", ".webmanifest",
    };

    /// <summary>Rules whose keys are meant to be shipped to browsers, restricted by referrer or by security rules rather than kept secret.</summary>
    private static readonly HashSet<string> BrowserKeyRules = new(StringComparer.Ordinal) { "SEC-GCP-API-KEY" };

    /// <summary>Why a match is informational only, or null when it is a finding at its rule's severity.</summary>
    /// <param name="path">The display path of the file or value; a web asset's Google key is a browser key.</param>
    public static string? Reason(SecretRule rule, string secret, string path)
    {
        if (Documented.TryGetValue(secret, out var published))
        {
            return $"{published}; it grants no access";
        }

        if (!BrowserKeyRules.Contains(rule.Id))
        {
            return null;
        }

        var name = Path.GetFileName(path);
        if (WebAssetExtensions.Contains(Path.GetExtension(name)) || name is "google-services.json" or "GoogleService-Info.plist")
        {
            return "a Google API key in a web asset or a mobile app's Firebase configuration: Maps and Firebase browser keys are public by design; check that the key is restricted by HTTP referrer and API";
        }

        return null;
    }
}
