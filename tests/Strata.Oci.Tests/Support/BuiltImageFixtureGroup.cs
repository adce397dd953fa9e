namespace Strata.Oci.Tests.Support;

using Strata.Testing.Images;

[CollectionDefinition(Name)]
public sealed class BuiltImageFixtureGroup : ICollectionFixture<BuiltImageFixture>
{
    public const string Name = "built image";
}
