namespace Strata.Cli.Tests;

using Strata.Testing.Images;

/// <summary>The buildah-built image (shared with Strata.Oci.Tests through the cache), built at most once per run.</summary>
[CollectionDefinition(Name)]
public sealed class ImageFixtureGroup : ICollectionFixture<BuiltImageFixture>
{
    public const string Name = "built image";
}
