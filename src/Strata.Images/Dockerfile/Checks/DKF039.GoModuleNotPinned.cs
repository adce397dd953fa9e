namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>go install / go get / go run of a module without a version.</summary>
public sealed class GoModuleNotPinned : PackagePinningCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-039",
        Title = "Go module installed without a version",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`go install example.com/tool` (and `go get`, `go run` of a remote package) builds whatever the module's latest version is on the day of the build. A version (`@v1.2.3`) or a commit (`@4f1a2b3`) after the path fixes it, as in hadolint (DL3062); `@latest`, `@upgrade`, `@patch`, `@none` and the moving branches `@master`, `@main`, `@HEAD` do not (hadolint accepts the branches). Local packages (`.`, `./cmd/app`, `/src/app`, `main.go`) build the code in the image. Only the first operand of `go run` is the package: the rest are the program's arguments.",
        Remediation = "Name the version: `go install golang.org/x/tools/gopls@v0.16.2`; for tools of your own module, `go install` them from go.mod (`go get -tool` with Go 1.24).",
        References = ["https://go.dev/ref/mod#go-install", "https://github.com/hadolint/hadolint/wiki/DL3062"],
        Equivalents = ["Hadolint DL3062"],
        Examples =
        [
            new RuleExample("FROM golang:1.23\nRUN go install example.com/tool", true),
            new RuleExample("FROM golang:1.23\nRUN go install example.com/tool@latest", true, "latest moves"),
            new RuleExample("FROM golang:1.23\nRUN go install example.com/tool@v1.2.3", false),
            new RuleExample("FROM golang:1.23\nRUN go install example.com/tool@4f1a2b3c", false, "a commit"),
            new RuleExample("FROM golang:1.23\nRUN go install example.com/tool@master", true, "a branch moves"),
            new RuleExample("FROM golang:1.23\nRUN go install -ldflags '-s -w' -tags netgo golang.org/x/tools/gopls@v0.16.2", false, "option values are not packages"),
            new RuleExample("FROM golang:1.23\nRUN go install /go/src/app", false, "a local path"),
            new RuleExample("FROM golang:1.23\nRUN go install ./cmd/app", false),
            new RuleExample("FROM golang:1.23\nRUN go install -v ./...", false),
            new RuleExample("FROM golang:1.23\nRUN go install .", false),
            new RuleExample("FROM golang:1.23\nRUN go get example.com/lib", true),
            new RuleExample("FROM golang:1.23\nRUN go get example.com/lib@v1.2.3", false),
            new RuleExample("FROM golang:1.23\nRUN go get -tool example.com/tool@latest", true),
            new RuleExample("FROM golang:1.23\nRUN go get -tool example.com/tool@v1.2.3", false),
            new RuleExample("FROM golang:1.23\nRUN go mod download && go get", false, "no module named"),
            new RuleExample("FROM golang:1.23\nRUN go run example.com/gen", true),
            new RuleExample("FROM golang:1.23\nRUN go run example.com/gen@v1.2.3 -out gen.go foo", false, "the rest are the program's arguments"),
            new RuleExample("FROM golang:1.23\nRUN go run ./cmd/gen", false),
            new RuleExample("FROM golang:1.23\nRUN go run main.go", false, "a local file"),
            new RuleExample("FROM golang:1.23\nRUN go build -o /app .", false, "build compiles local code"),
            new RuleExample("FROM golang:1.23\nONBUILD RUN go install example.com/tool", true),
        ],
    };

    private protected override IReadOnlyList<PackageManager> Managers => [PackageManagers.Go];

    private protected override string PinnedForm => "example.com/tool@v1.2.3";
}
