namespace Strata.Images.Dockerfile.Checks;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Images.Dockerfile.Context;

/// <summary>A file the build copies from its context holds a secret: the secret rules on that file, reported on the COPY or ADD that copies it.</summary>
public sealed class SecretInCopiedFile : ContextCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-080",
        Title = "COPY or ADD puts a file holding a secret into the image",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "A file copied from the build context is stored whole in the layer of the instruction that copies it: anyone who can pull the image can read it (`docker save`, `crane export`), and deleting it in a later step leaves it in that layer. A secret rule (`SEC-`) matched a file that this COPY or ADD brings in, often through a directory copy such as `COPY . .` that takes more than intended. The secret itself is reported on the file by its `SEC-` rule; this finding names the instruction that ships it. In a stage that does not end up in the image the file still sits in the build cache and the builder's layers, a lower risk. In the examples, `# context: PATH = CONTENT` comment lines are the files of the build context (`strata scan Dockerfile --context DIR`).",
        Remediation = "Keep the file out of the build: list it in `.dockerignore` (or `Dockerfile.dockerignore`), or copy only what the image needs (`COPY src/ /app/src/`). When a build step needs the secret, mount it for that step only: `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` with `docker build --secret id=npmrc,src=$HOME/.npmrc .`. Rotate a secret that was already built into an image.",
        References = ["https://docs.docker.com/build/concepts/context/#dockerignore-files", "https://docs.docker.com/build/building/secrets/"],
        Equivalents = [],
        Examples =
        [
            new RuleExample("FROM node:22-slim\nWORKDIR /app\nCOPY . .\n# context: package.json = {}\n# context: .env = GITHUB_TOKEN=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", true, "the whole context, with its .env"),
            new RuleExample("FROM alpine:3.20\nCOPY config/ /etc/app/\n# context: config/app.yaml = region: eu-west-1\n# context: config/aws.ini = aws_access_key_id = AKIA37HPOLVISB47CTNL", true, "a directory that holds a key"),
            new RuleExample("FROM node:22-slim\nCOPY . /app/\n# context: .dockerignore = .env*\\n!.env.production\n# context: .env = GITHUB_TOKEN=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\n# context: .env.production = GITHUB_TOKEN=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", true, "an exception (!) sends one file back"),
            new RuleExample("FROM node:22-slim\nCOPY . /app/\n# context: .dockerignore = .env\n# context: .env = GITHUB_TOKEN=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", false, ".dockerignore keeps it out"),
            new RuleExample("FROM node:22-slim\nCOPY . /app/\n# context: Dockerfile.dockerignore = **/.env\n# context: .dockerignore = node_modules\n# context: deploy/.env = GITHUB_TOKEN=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", false, "Dockerfile.dockerignore wins over .dockerignore"),
            new RuleExample("FROM node:22-slim\nCOPY src/ /app/src/\n# context: src/index.js = console.log(1)\n# context: .env = GITHUB_TOKEN=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", false, "the file is not copied"),
            new RuleExample("FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n# context: .env = GITHUB_TOKEN=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", false, "COPY --from does not read the context"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileBuild subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var shipped = subject.Dockerfile.ShippedStages;
        foreach (var copy in subject.Copies)
        {
            foreach (var file in copy.Paths.Where(p => p.Kind == CopiedKind.File && p.ContextPath is not null))
            {
                if (!subject.Secrets.TryGetValue(file.ContextPath!, out var matches))
                {
                    continue;
                }

                var first = matches[0];
                var ships = shipped.Contains(copy.Stage);
                var severity = ships ? (Severity)Math.Max((int)Severity.High, (int)matches.Max(m => m.Severity)) : Severity.Medium;
                var what = matches.Select(m => m.Rule.Id).Distinct().Count() == 1
                    ? $"a secret at line {first.Line}: {first.Rule.Title} ({first.Rule.Id})"
                    : string.Create(CultureInfo.InvariantCulture, $"{matches.Count} secrets ({string.Join(", ", matches.Select(m => m.Rule.Id).Distinct())}), the first at line {first.Line}");
                var where = ships ? "it ships in that layer of the image" : $"stage {copy.Stage.Label} does not end up in the image, but the file stays in its layers and the build cache";
                var finding = DockerfileFindings.At(
                    Rule,
                    subject.Dockerfile,
                    context.Target,
                    copy.Stage,
                    copy.Instruction,
                    $"{copy.Instruction.Keyword} copies {subject.Context!.DisplayPath(file.ContextPath!)} to {file.ImagePath}, which holds {what}; {where}.",
                    severity,
                    first.Evidence);
                yield return finding with { Location = finding.Location with { Path = file.ImagePath } };
            }
        }
    }
}
