namespace Strata.Reporting.Images;

using System.Text.Json.Serialization;

/// <summary>
/// Command lists of an image config written as JSON by source-generated metadata: the native (AOT) build has no
/// reflection-based serialization.
/// </summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ImageConfigJson : JsonSerializerContext;
