namespace Strata.Images.Hardening.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Accounts whose password field is empty: no password needed to log in as them.</summary>
public sealed class EmptyPasswords : Check<ImageView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "IMG-015",
        Title = "Account with an empty password",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "An empty password field in /etc/shadow (or in /etc/passwd when it holds the password itself) means the account needs no password at all: su, login or any PAM service accepts it. A locked account has ! or * there instead, which is what base images ship.",
        Remediation = "Lock the account (passwd -l NAME, or put * in the shadow field) or delete it. Never create accounts with an empty password in images.",
        References = ["https://man7.org/linux/man-pages/man5/shadow.5.html", "https://man7.org/linux/man-pages/man5/passwd.5.html"],
        Equivalents = ["Dockle DKL-LI-0001"],
        Examples =
        [
            new RuleExample("/etc/shadow\nroot:*:19000:0:99999:7:::\ntoor::19000:0:99999:7:::", true, "toor"),
            new RuleExample("/etc/shadow\nroot:*:19000:0:99999:7:::\napp:!:19000:0:99999:7:::", false, "locked"),
        ],
    };

    public override bool AppliesTo(ImageView subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.Resolve(AccountFiles.ShadowPath) is null && subject.Resolve(AccountFiles.PasswdPath) is null ? "no /etc/shadow or /etc/passwd" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.ReadText(AccountFiles.ShadowPath) is { } shadow && subject.Resolve(AccountFiles.ShadowPath) is { } shadowFile)
        {
            foreach (var account in AccountFiles.ParseShadow(shadow).Where(a => a.Password.Length == 0))
            {
                yield return Finding.For(Rule, context.Target, ImageView.LocationOf(shadowFile) with { Path = AccountFiles.ShadowPath, Line = account.Line, Subject = "account " + account.Name }, $"The account {account.Name} has an empty password in {AccountFiles.ShadowPath} (line {account.Line}): it needs none to log in.", Evidence.Plain($"{account.Name}::…"));
            }
        }

        if (subject.ReadText(AccountFiles.PasswdPath) is { } passwd && subject.Resolve(AccountFiles.PasswdPath) is { } passwdFile)
        {
            foreach (var account in AccountFiles.ParsePasswd(passwd).Where(a => a.Password.Length == 0))
            {
                yield return Finding.For(Rule, context.Target, ImageView.LocationOf(passwdFile) with { Path = AccountFiles.PasswdPath, Line = account.Line, Subject = "account " + account.Name }, $"The account {account.Name} has an empty password field in {AccountFiles.PasswdPath} (line {account.Line}): it needs no password to log in.", Evidence.Plain($"{account.Name}::…"));
            }
        }
    }
}
