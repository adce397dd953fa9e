// Image examples are written as tar layers with Unix modes and owners; host examples as /proc trees.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
