namespace Strata.Images.Dockerfile;

using System.Text.Json.Serialization;

/// <summary>
/// The exec form of an instruction (<c>["a", "b"]</c>) read by source-generated JSON metadata: the native (AOT) build has
/// no reflection-based serialization.
/// </summary>
[JsonSerializable(typeof(string?[]))]
internal sealed partial class ExecFormJson : JsonSerializerContext;
