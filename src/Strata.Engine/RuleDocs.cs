namespace Strata.Engine;

using Strata.Core.Rules;

/// <summary>The docs/rules/ tree generated from the catalog: an index and one page per rule.</summary>
public static class RuleDocs
{
    public static IReadOnlyDictionary<string, string> Generate(RuleCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var pages = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["README.md"] = RuleMarkdown.Index(catalog) };
        foreach (var rule in catalog.Rules)
        {
            pages[rule.Id + ".md"] = RuleMarkdown.Page(rule);
        }

        pages["hadolint.md"] = Strata.Images.Dockerfile.HadolintRules.Markdown(catalog.Rules);
        pages["dockerfile.md"] = Strata.Images.Dockerfile.DockerfileRuleMap.Markdown(catalog.Rules);
        pages["secrets-peers.md"] = Strata.Secrets.SecretPeerMap.BuiltIn.Markdown(catalog.Rules);

        return pages;
    }

    /// <summary>Differences between the generated pages and a directory, one line each; empty when up to date.</summary>
    public static IReadOnlyList<string> Compare(IReadOnlyDictionary<string, string> pages, string directory)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var problems = new List<string>();
        foreach (var (name, content) in pages)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                problems.Add($"{path}: missing");
            }
            else if (File.ReadAllText(path) != content)
            {
                problems.Add($"{path}: out of date");
            }
        }

        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*.md"))
            {
                if (!pages.ContainsKey(Path.GetFileName(file)))
                {
                    problems.Add($"{file}: no longer in the catalog");
                }
            }
        }

        return problems;
    }

    public static void Write(IReadOnlyDictionary<string, string> pages, string directory)
    {
        ArgumentNullException.ThrowIfNull(pages);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(directory, "*.md"))
        {
            if (!pages.ContainsKey(Path.GetFileName(file)))
            {
                File.Delete(file);
            }
        }

        foreach (var (name, content) in pages)
        {
            File.WriteAllText(Path.Combine(directory, name), content);
        }
    }
}
