namespace Strata.Oci;

using Strata.Core;

/// <summary>
/// The image read limits under their former name, kept so code written against it still compiles; they are
/// <see cref="Limits"/> (one record for every bound), which new code uses.
/// </summary>
public sealed record ReadLimits : Limits
{
    public static new ReadLimits Default { get; } = new();
}
