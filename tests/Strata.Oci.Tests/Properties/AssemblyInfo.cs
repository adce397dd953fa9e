// The tests drive Linux tools (buildah, skopeo, umoci) and check Unix modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
