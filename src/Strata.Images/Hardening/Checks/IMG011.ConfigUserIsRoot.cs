namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci.Model;

/// <summary>The image's configured user is root: empty, 0, root, or a name /etc/passwd maps to UID 0.</summary>
public sealed class ConfigUserIsRoot : ImageConfigCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "IMG-011",
        Title = "Image runs as root",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "The image config names no user, or names root (0, or an account /etc/passwd gives UID 0), so its containers run as root unless the runtime overrides it. Root in a container is root on the host whenever isolation fails: a writable host mount, a kernel bug, a leftover capability.",
        Remediation = "End the final stage with USER and a numeric, unprivileged UID (USER 10001), after creating the account and giving it only the files it must write. A numeric UID lets Kubernetes runAsNonRoot verify it.",
        References = ["https://github.com/opencontainers/image-spec/blob/main/config.md#properties", "https://docs.docker.com/reference/dockerfile/#user"],
        Equivalents = ["Dockle CIS-DI-0001", "Hadolint DL3002 (on the Dockerfile)"],
        Examples =
        [
            new RuleExample("{\"User\":\"\"}", true, "no user: root"),
            new RuleExample("{\"User\":\"0:0\"}", true),
            new RuleExample("{\"User\":\"10001\"}", false),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(ImageView image, ImageConfig config, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        var user = (config.User ?? string.Empty).Trim();
        var name = user.Split(':')[0];
        var location = new Location { JsonPath = "$.config.User" };
        var evidence = Evidence.Plain($"User=\"{user}\"");
        if (name.Length == 0)
        {
            yield return Finding.For(Rule, context.Target, location, "The image config sets no user: containers run as root.", evidence);
        }
        else if (name is "0" or "root")
        {
            yield return Finding.For(Rule, context.Target, location, $"The image config's user is {user}: containers run as root.", evidence);
        }
        else if (image.ReadText(AccountFiles.PasswdPath) is { } passwd
            && AccountFiles.ParsePasswd(passwd).FirstOrDefault(a => a.Name == name) is { Uid: 0 } account)
        {
            yield return Finding.For(Rule, context.Target, location, $"The image config's user {name} has UID 0 in /etc/passwd (line {account.Line}): containers run as root.", evidence);
        }
    }
}
