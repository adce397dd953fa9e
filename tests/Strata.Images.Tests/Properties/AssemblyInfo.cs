// The tests drive Linux tools (buildah, debootstrap) and check Unix modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
