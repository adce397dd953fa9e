namespace Strata.Cli.Commands;

using System.CommandLine;
using Strata.Core;
using Strata.Encryption;
using Strata.Encryption.Keys;
using Strata.Oci;
using Strata.Oci.Destinations;
using Strata.Oci.Registry;
using Strata.Oci.Resolution;
using Strata.Oci.Transports;

/// <summary>
/// <c>strata encrypt</c> and <c>strata decrypt</c>: image layers encrypted and decrypted in ocicrypt's format
/// (skopeo's <c>--encryption-key</c> / <c>--decryption-key</c>, CRI-O and containerd's imgcrypt), from an image to an
/// OCI layout or a registry.
/// </summary>
internal static class CryptCommand
{
    private static readonly string SourceHelp = $"The image to read: {ImageTransports.Syntaxes}, or a bare REF (= docker://REF).";
    private static readonly string DestinationHelp = $"Where to write the result: {ImageDestinations.Syntaxes}; the manifest is written last, so a failure leaves no tag.";

    public static IEnumerable<Command> Create(SharedOptions shared, CliIo io)
    {
        var recipients = new Option<string[]>("--recipient", "-r")
        {
            HelpName = "scheme:key",
            Description = "Who can decrypt (repeatable, schemes may be mixed): jwe:PUBLIC-KEY.pem (RSA or EC), pkcs7:CERTIFICATE.pem (RSA), pgp:KEY-FILE or pgp:USER-ID (from gpg's keyring).",
            Arity = ArgumentArity.OneOrMore,
            Required = true,
        };
        var encryptLayers = LayerOption("Encrypt only image layer I (repeatable; 0 = the base, negative counts from the end: -1 = the top). Default: all.");
        var encryptSource = new Argument<string>("source") { Description = SourceHelp };
        var encryptDestination = new Argument<string>("destination") { Description = DestinationHelp };
        var encryptAccess = new ImageAccessArguments();
        var encryptDestinationAccess = new DestinationAccessArguments();
        var encrypt = new Command("encrypt", "Encrypt an image's layers for the recipients (ocicrypt format, AES-256-CTR with HMAC-SHA256; the layer key wrapped by JWE, PKCS#7 or OpenPGP) and write it to DESTINATION.")
        {
            encryptSource, encryptDestination, recipients, encryptLayers,
        };
        SharedOptions.Add(encrypt, shared.Limits, shared.Quiet, shared.Debug);
        encryptAccess.AddTo(encrypt);
        encryptDestinationAccess.AddTo(encrypt);
        encrypt.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            using var parsed = await EncryptionRecipients.ParseAsync(parse.GetValue(recipients) ?? [], ct);
            return await RunAsync(io, parse.GetValue(shared.Quiet), "encrypted", parse.GetValue(encryptSource)!, parse.GetValue(encryptDestination)!,
                encryptAccess.Read(parse, parse.GetValue(shared.Limits)), encryptDestinationAccess.Read(parse),
                (image, destination, tag, token) => ImageEncryption.EncryptAsync(image, destination, tag, parsed, parse.GetValue(encryptLayers), token), ct);
        }));

        var keys = new Option<string[]>("--key", "-k")
        {
            HelpName = "file[:password]",
            Description = "A key that may open the layers (repeatable): a private key (PEM, DER or JWK; JWE and PKCS#7), an X.509 certificate (picks the PKCS#7 recipient) or an OpenPGP secret keyring; the password as pass=TEXT, file=PATH or fd=N. Never printed.",
            Arity = ArgumentArity.OneOrMore,
            Required = true,
        };
        var decryptLayers = LayerOption("Decrypt only image layer I (repeatable; negative counts from the end). Default: every encrypted layer.");
        var decryptSource = new Argument<string>("source") { Description = SourceHelp };
        var decryptDestination = new Argument<string>("destination") { Description = DestinationHelp };
        var decryptAccess = new ImageAccessArguments();
        var decryptDestinationAccess = new DestinationAccessArguments();
        var decrypt = new Command("decrypt", "Decrypt an image's encrypted layers with the keys given, check each against the digest it had before encryption, and write the image to DESTINATION.")
        {
            decryptSource, decryptDestination, keys, decryptLayers,
        };
        SharedOptions.Add(decrypt, shared.Limits, shared.Quiet, shared.Debug);
        decryptAccess.AddTo(decrypt);
        decryptDestinationAccess.AddTo(decrypt);
        decrypt.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            using var parsed = DecryptionKeys.Parse(parse.GetValue(keys) ?? []);
            return await RunAsync(io, parse.GetValue(shared.Quiet), "decrypted", parse.GetValue(decryptSource)!, parse.GetValue(decryptDestination)!,
                decryptAccess.Read(parse, parse.GetValue(shared.Limits)), decryptDestinationAccess.Read(parse),
                (image, destination, tag, token) => ImageEncryption.DecryptAsync(image, destination, tag, parsed, parse.GetValue(decryptLayers), token), ct);
        }));

        return [encrypt, decrypt];
    }

    private static Option<int[]> LayerOption(string description) => new("--layer")
    {
        HelpName = "I",
        Description = description,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static async Task<int> RunAsync(
        CliIo io,
        bool quiet,
        string verb,
        string source,
        string destinationText,
        ImageOpenOptions options,
        RegistryOptions destinationOptions,
        Func<ResolvedImage, IImageDestination, string?, CancellationToken, Task<ImageCryptResult>> work,
        CancellationToken cancellationToken)
    {
        var image = await ImageResolver.OpenAsync(ImageTransports.Locate(source), options, cancellationToken);
        await using (image.Source)
        {
            await using var destination = ImageDestinations.Open(destinationText, destinationOptions);
            var result = await work(image, destination, destination.Tag ?? (destination.Digest is null ? "latest" : null), cancellationToken);
            if (!quiet)
            {
                foreach (var change in result.Layers)
                {
                    await io.Error.WriteLineAsync($"image layer {change.Index}: {change.Before.Digest} -> {change.After.Digest} ({change.After.MediaType})");
                }

                await io.Error.WriteLineAsync($"{verb} {result.Layers.Count} of {image.Layers.Count} image layers; wrote {destination.Reference} (manifest {result.Manifest.Digest})");
            }

            await io.Out.WriteAsync(System.Text.Encoding.UTF8.GetBytes(result.Manifest.Digest + "\n"), cancellationToken);
        }

        return (int)ExitCode.Clean;
    }
}

/// <summary>Registry access for a destination: <c>--dest-creds</c>, <c>--dest-authfile</c>, <c>--dest-tls-verify</c>.</summary>
internal sealed class DestinationAccessArguments
{
    public Option<string?> Credentials { get; } = new("--dest-creds")
    {
        HelpName = "user:pass",
        Description = "USERNAME:PASSWORD for the destination registry; wins over credential files. Never printed.",
    };

    public Option<string?> AuthFile { get; } = new("--dest-authfile")
    {
        HelpName = "file",
        Description = "Read destination registry credentials only from this file.",
    };

    public Option<bool> TlsVerify { get; } = new("--dest-tls-verify")
    {
        Description = "Verify the destination registry's certificate and use https only (default true); false also allows plain http.",
        DefaultValueFactory = _ => true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Credentials);
        command.Options.Add(AuthFile);
        command.Options.Add(TlsVerify);
    }

    public RegistryOptions Read(ParseResult parse) => new()
    {
        Credentials = parse.GetValue(Credentials) is { } credentials ? RegistryCredential.ParseUserPassword(credentials) : null,
        AuthFilePath = parse.GetValue(AuthFile),
        TlsVerify = parse.GetValue(TlsVerify),
    };
}
