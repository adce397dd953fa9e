namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>gem install of a gem without a version.</summary>
public sealed class GemNotPinned : PackagePinningCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-035",
        Title = "Ruby gem installed without a version",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`gem install bundler` installs the newest release on rubygems.org on the day of the build. `gem install bundler:2.5.22` or `-v`/`--version` fixes it (as in hadolint DL3028), and so does a local .gem file. Options are read with their values: hadolint drops the word after every option, so it misses `gem install --no-document rails`; we do not. Words after `--` go to the extension build and are not gems.",
        Remediation = "Pin each gem: `gem install bundler:2.5.22` or `gem install bundler -v 2.5.22`; for an application, use a Gemfile.lock and `bundle install` (with `BUNDLE_FROZEN=true`).",
        References = ["https://guides.rubygems.org/command-reference/#gem-install", "https://github.com/hadolint/hadolint/wiki/DL3028"],
        Equivalents = ["Hadolint DL3028"],
        Examples =
        [
            new RuleExample("FROM ruby:3.3-slim\nRUN gem install bundler", true),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem install bundler:2.5.22", false),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem i bundler", true, "gem i is gem install"),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem i bundler:2.5.22 nokogiri", true, "one of two"),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem i bundler:2.5.22 nokogiri:1.16.7", false),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem install bundler -v '2.5.22'", false),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem install bundler --version '2.5.22'", false),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem install bundler --version='2.5.22'", false),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem install --no-document rails", true, "--no-document takes no value"),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem install nokogiri:1.16.7 -- --use-system-libraries=true", false, "after -- are build options"),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem install nokogiri:1.16.7 -- --with-xml2-dir /usr", false),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem install nokogiri:1.16.7 --use-system-libraries true", false, "an unknown option takes the next word as its value"),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem install ./vendor/mygem-1.0.0.gem", false, "a gem file"),
            new RuleExample("FROM ruby:3.3-slim\nRUN gem update --system", false, "no gem named for install"),
            new RuleExample("FROM ruby:3.3-slim\nONBUILD RUN gem install bundler", true),
        ],
    };

    private protected override IReadOnlyList<PackageManager> Managers => [PackageManagers.Gem];

    private protected override string PinnedForm => "bundler:2.5.22";
}
