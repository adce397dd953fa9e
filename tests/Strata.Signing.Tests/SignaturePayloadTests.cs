namespace Strata.Signing.Tests;

using System.Text;
using Strata.Oci;

/// <summary>
/// The payload parser rejects what containers/image's strict parser rejects, and writes what cosign and
/// containers/image write, byte for byte.
/// </summary>
public sealed class SignaturePayloadTests
{
    private const string DigestText = "sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static string Cosign(string critical = "", string optional = "null", string extra = "") =>
        "{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/repo:tag\"},\"image\":{\"docker-manifest-digest\":\""
        + DigestText + "\"},\"type\":\"cosign container image signature\"" + critical + "},\"optional\":" + optional + extra + "}";

    [Fact]
    public void Cosign_payload_with_null_optional_round_trips_byte_for_byte()
    {
        var json = Cosign();
        var payload = SignaturePayload.ParseStrict(Encoding.UTF8.GetBytes(json), SignaturePayload.CosignType);
        Assert.Equal("example.com/repo:tag", payload.DockerReference);
        Assert.Equal(DigestText, payload.ManifestDigest.ToString());
        Assert.Null(payload.Creator);
        Assert.Null(payload.Timestamp);
        Assert.Equal(json, Encoding.UTF8.GetString(payload.ToJson()));
    }

    [Fact]
    public void Optional_fields_and_annotations_are_written_sorted_like_go()
    {
        var annotations = new Dictionary<string, string> { ["zeta"] = "<&>", ["alpha"] = "a\"b" };
        var payload = new SignaturePayload("example.com/repo:tag", Digest.Parse(DigestText, "test"), SignaturePayload.CosignType, "Strata", 1700000000, annotations);
        var json = Encoding.UTF8.GetString(payload.ToJson());
        Assert.Equal(Cosign(optional: "{\"alpha\":\"a\\\"b\",\"creator\":\"Strata\",\"timestamp\":1700000000,\"zeta\":\"\\u003c\\u0026\\u003e\"}"), json);
        var back = SignaturePayload.ParseStrict(Encoding.UTF8.GetBytes(json), SignaturePayload.CosignType);
        Assert.Equal("Strata", back.Creator);
        Assert.Equal(1700000000, back.Timestamp);
        Assert.Equal("<&>", back.Annotations["zeta"]);
    }

    [Fact]
    public void Atomic_payload_rejects_null_optional()
    {
        var json = Cosign().Replace(SignaturePayload.CosignType, SignaturePayload.AtomicType, StringComparison.Ordinal);
        var error = Assert.Throws<SignatureException>(() => SignaturePayload.ParseStrict(Encoding.UTF8.GetBytes(json), SignaturePayload.AtomicType));
        Assert.Contains("optional", error.Message, StringComparison.Ordinal);
        var withOptional = json.Replace("\"optional\":null", "\"optional\":{\"creator\":\"atomic\",\"timestamp\":1}", StringComparison.Ordinal);
        Assert.Equal(1, SignaturePayload.ParseStrict(Encoding.UTF8.GetBytes(withOptional), SignaturePayload.AtomicType).Timestamp);
    }

    public static TheoryData<string, string> Rejected => new()
    {
        { Cosign(extra: ",\"optional\":null"), "duplicate key \"optional\"" },
        { Cosign(extra: ",\"other\":1"), "unknown key \"other\" in payload" },
        { Cosign(critical: ",\"type\":\"x\""), "duplicate key \"type\" in critical" },
        { Cosign(critical: ",\"extra\":{}"), "unknown key \"extra\" in critical" },
        { Cosign(optional: "{\"timestamp\":1.5}"), "optional.timestamp is not an integer" },
        { Cosign(optional: "{\"timestamp\":\"1\"}"), "optional.timestamp must be a number" },
        { Cosign(optional: "{\"creator\":1}"), "optional.creator must be a string" },
        { Cosign(optional: "{\"creator\":\"a\",\"creator\":\"b\"}"), "duplicate key \"creator\" in optional" },
        { Cosign(optional: "[]"), "optional must be a JSON object" },
        { Cosign().Replace(DigestText, "sha256:abc", StringComparison.Ordinal), "invalid critical.image.docker-manifest-digest" },
        { Cosign().Replace("cosign container image signature", "other", StringComparison.Ordinal), "unrecognized signature type" },
        { Cosign().Replace("{\"docker-reference\":\"example.com/repo:tag\"}", "{}", StringComparison.Ordinal), "key \"docker-reference\" missing in critical.identity" },
        { Cosign().Replace("\"example.com/repo:tag\"", "1", StringComparison.Ordinal), "critical.identity.docker-reference must be a string" },
        { Cosign() + "{}", "not valid JSON" },
        { "{\"critical\":{}}", "key \"optional\" missing in payload" },
        { "[]", "payload must be a JSON object" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Malformed_payloads_are_rejected_naming_the_field(string json, string expected)
    {
        var error = Assert.Throws<SignatureException>(() => SignaturePayload.ParseStrict(Encoding.UTF8.GetBytes(json), SignaturePayload.CosignType));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamps_in_exponent_form_are_integers_as_in_go()
    {
        var json = Cosign(optional: "{\"timestamp\":1e3,\"other\":[1,{\"a\":1}]}");
        Assert.Equal(1000, SignaturePayload.ParseStrict(Encoding.UTF8.GetBytes(json), SignaturePayload.CosignType).Timestamp);
    }
}
