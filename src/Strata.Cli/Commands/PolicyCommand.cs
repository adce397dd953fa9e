namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Text;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Oci;
using Strata.Signing.Lookaside;
using Strata.Signing.Policy;

/// <summary>
/// <c>strata policy check|lint</c>: containers-policy.json(5) evaluated as containers/image (podman, CRI-O, skopeo)
/// evaluates it.
/// </summary>
internal static class PolicyCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var command = new Command("policy", "Evaluate or check a containers-policy.json(5) signature policy as podman, CRI-O and skopeo do.");

        var image = new Argument<string>("image")
        {
            Description = "The image: docker://REF (or a bare REF), dir:DIR, oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE[:REF]; the transport and path choose the policy scope as in containers/image.",
        };
        var policy = new Option<string?>("--policy")
        {
            HelpName = "file",
            Description = $"The policy (default: $HOME/.config/containers/policy.json if it exists, else {ContainersPolicy.SystemPolicyPath}).",
        };
        var registriesD = new Option<string?>("--registries.d")
        {
            HelpName = "dir",
            Description = "registries.d directory saying where registry images' signatures are (lookaside, use-sigstore-attachments); default $HOME/.config/containers/registries.d if it exists, else /etc/containers/registries.d.",
        };
        var dockerReference = new Option<string?>("--docker-reference")
        {
            HelpName = "ref",
            Description = "The Docker reference identity signatures are matched against, for images whose transport has none (dir:, oci:, oci-archive:), e.g. registry.example.com/app:1.0.",
        };
        var format = new Option<string>("--format", "-f") { HelpName = "format", Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var access = new ImageAccessArguments();
        var check = new Command("check", "Decide whether the policy accepts IMAGE: the most specific scope of its transport applies, every requirement of it must accept; prints the verdict and each requirement's reason. Exit 0 accepted, 1 rejected, 2 usage error, 3 policy or image unreadable.")
        {
            image, policy, registriesD, dockerReference, format,
        };
        SharedOptions.Add(check, shared.Limits, shared.Debug);
        access.AddTo(check);
        check.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            var policyPath = PolicyPath(parse.GetValue(policy), io);
            var loaded = await ContainersPolicy.LoadAsync(policyPath, ct);
            var name = PolicyImageName.Parse(parse.GetValue(image)!);
            if (parse.GetValue(dockerReference) is { } identity)
            {
                name = name with { DockerReference = ImageReference.Parse(identity) };
            }

            var (scope, requirements) = loaded.RequirementsFor(name);
            var options = access.Read(parse, parse.GetValue(shared.Limits) ?? Limits.Default);

            // Signatures are read only when a requirement looks at them (reject and insecureAcceptAnything do not).
            var needsImage = requirements.Any(r => r is SignedByRequirement or SigstoreSignedRequirement);
            var sources = needsImage && name.Transport == "docker"
                ? PolicySignatureSources.From(RegistriesConfiguration.Load(parse.GetValue(registriesD) is { } d ? Path.GetFullPath(d, io.WorkingDirectory) : null))
                : PolicySignatureSources.None;
            var policyImage = needsImage
                ? await PolicyImageLoader.LoadAsync(name, sources, options, ct)
                : new PolicyImage(name, [], []);
            var decision = await PolicyEvaluator.EvaluateAsync(loaded, policyImage, ct);
            var text = parse.GetValue(format) == "json" ? DecisionJson(policyPath, decision) : DecisionText(policyPath, decision, scope);
            await io.Out.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            return (int)(decision.Accepted ? ExitCode.Clean : ExitCode.Findings);
        }));
        command.Subcommands.Add(check);

        var file = new Argument<string>("policy") { Description = "The policy file to check." };
        var lint = new Command("lint", "Check that a policy file is one containers/image accepts (unknown or duplicate keys, missing fields, invalid scopes, key types and identities), and list its scopes. Exit 0 valid, 3 invalid.") { file };
        SharedOptions.Add(lint, shared.Limits, shared.Debug);
        lint.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!, io.WorkingDirectory);
            var loaded = await ContainersPolicy.LoadAsync(path, ct);
            await io.Out.WriteAsync(Encoding.UTF8.GetBytes(LintText(path, loaded)), ct);
            return (int)ExitCode.Clean;
        }));
        command.Subcommands.Add(lint);
        return command;
    }

    private static string PolicyPath(string? given, CliIo io)
    {
        if (given is not null)
        {
            return Path.GetFullPath(given, io.WorkingDirectory);
        }

        return ContainersPolicy.FindDefaultPath()
            ?? throw StrataException.Usage($"no policy given and none found at {string.Join(" or ", ContainersPolicy.DefaultPaths())}; pass --policy FILE.");
    }

    private static string DecisionText(string policyPath, PolicyDecision decision, string scope)
    {
        var text = new StringBuilder();
        text.Append(decision.Accepted ? "accepted" : "rejected").Append(": ").AppendLine(Safe(decision.Image.Text));
        text.Append("  policy ").Append(Safe(policyPath)).Append(", scope ").AppendLine(Safe(scope));
        if (decision.Image.DockerReference is { } reference)
        {
            text.Append("  identity ").AppendLine(Safe(reference.ToString()));
        }

        var number = 0;
        foreach (var result in decision.Results)
        {
            number++;
            text.Append("  ").Append(number).Append(". ").Append(result.Accepted ? "accepted" : "rejected").Append("  ").AppendLine(Safe(result.Requirement.Describe()));
            text.Append("     ").AppendLine(Printable(result.Reason));
        }

        return text.ToString();
    }

    private static string DecisionJson(string policyPath, PolicyDecision decision) => JsonText.Render(json =>
    {
        json.WriteStartObject();
        json.WriteString("image", decision.Image.Text);
        json.WriteString("transport", decision.Image.Transport);
        JsonText.WriteNullable(json, "identity", decision.Image.DockerReference?.ToString());
        json.WriteString("policy", policyPath);
        json.WriteString("scope", decision.Scope);
        json.WriteBoolean("accepted", decision.Accepted);
        json.WriteStartArray("requirements");
        foreach (var result in decision.Results)
        {
            json.WriteStartObject();
            json.WriteString("type", result.Requirement.Type);
            json.WriteString("requirement", result.Requirement.Describe());
            json.WriteBoolean("accepted", result.Accepted);
            json.WriteString("reason", result.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }) + "\n";

    private static string LintText(string path, ContainersPolicy policy)
    {
        var text = new StringBuilder();
        text.Append("valid: ").AppendLine(Safe(path));
        text.Append("  default: ").AppendLine(string.Join("; ", policy.Default.Select(r => Safe(r.Describe()))));
        foreach (var (transport, scopes) in policy.Transports.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            foreach (var (scope, requirements) in scopes.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                text.Append("  ").Append(Safe(transport)).Append(" \"").Append(Safe(scope)).Append("\": ").AppendLine(string.Join("; ", requirements.Select(r => Safe(r.Describe()))));
            }
        }

        return text.ToString();
    }

    private static string Safe(string text) => Redaction.Quote(text, 2000);

    // Reasons are Strata's own sentences around paths, references and key fingerprints (public by design): only control
    // characters (a hostile signature's identity may carry some) are replaced.
    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
}
