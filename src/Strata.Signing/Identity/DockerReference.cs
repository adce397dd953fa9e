namespace Strata.Signing.Identity;

using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Strata.Oci;

/// <summary>
/// A Docker reference as containers/image's identity matching sees it: normalised (<c>busybox</c> is
/// <c>docker.io/library/busybox</c>) but without a default tag, so that "name only" stays visible.
/// </summary>
internal sealed partial record DockerReference(string Name, string? Tag, Digest? Digest)
{
    /// <summary>Neither tag nor digest.</summary>
    public bool IsNameOnly => Tag is null && Digest is null;

    /// <summary>The registry part of <see cref="Name"/>.</summary>
    public string Domain => Name[..Name.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>The reference with a tag when it has neither tag nor digest, as the docker transport does.</summary>
    public DockerReference WithDefaultTag() => IsNameOnly ? this with { Tag = ImageReference.DefaultTag } : this;

    /// <summary>As distribution's <c>ParseNormalizedNamed</c>: familiar forms are expanded.</summary>
    public static bool TryParseNormalized(string text, [NotNullWhen(true)] out DockerReference? reference, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        reference = null;
        if (!ImageReference.TryParse(text, out var parsed, out error))
        {
            return false;
        }

        reference = From(parsed);
        return true;
    }

    /// <summary>As distribution's <c>ParseNamed</c>: only the canonical, fully qualified form is accepted.</summary>
    public static bool TryParseCanonical(string text, [NotNullWhen(true)] out DockerReference? reference, [NotNullWhen(false)] out string? error)
    {
        if (!TryParseNormalized(text, out reference, out error))
        {
            return false;
        }

        if (!string.Equals(reference.ToString(), text, StringComparison.Ordinal))
        {
            reference = null;
            error = "repository name must be canonical";
            return false;
        }

        return true;
    }

    public static DockerReference From(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new DockerReference(image.Name, image.Tag, image.Digest);
    }

    /// <summary>The canonical form, <c>name[:tag][@digest]</c>, with no default tag added.</summary>
    public override string ToString() => Name + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    /// <summary>A remapping prefix is a host[:port], or a repository name that starts with one (containers/image's rule).</summary>
    public static bool IsValidRemapPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return DomainOnlyPattern().IsMatch(prefix) || (NamePattern().IsMatch(prefix) && DomainThenSlashPattern().IsMatch(prefix));
    }

    // distribution/reference's domain and name grammar; Go's regexp is ASCII-only, hence explicit classes and \z.
    private const string DomainGrammar = @"(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?";
    private const string PathComponentGrammar = @"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";

    [GeneratedRegex("^" + DomainGrammar + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex DomainOnlyPattern();

    [GeneratedRegex("^" + DomainGrammar + "/", RegexOptions.CultureInvariant)]
    private static partial Regex DomainThenSlashPattern();

    [GeneratedRegex("^(?:" + DomainGrammar + "/)?" + PathComponentGrammar + "(?:/" + PathComponentGrammar + @")*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
