#!/usr/bin/env python3
"""Writes fuzz/dictionaries/TARGET.dict: tokens of each input format, which afl-fuzz splices into inputs (-x).

The output is committed; rerun this after changing it: python3 fuzz/make-dictionaries.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

JSON = [b"{", b"}", b"[", b"]", b":", b",", b'"', b"\\", b"\\u0000", b"\\ud800", b"\xc3\x28", b"\xff",
        b"true", b"false", b"null", b"-1", b"0.5", b"1e308", b"9223372036854775808"]
YAML = [b"---", b"...", b": ", b"- ", b"? ", b"&a ", b"*a", b"!!str ", b"!!map ", b"!!binary ", b"<<: ", b"{", b"}", b"[", b"]",
        b"|", b">-", b'"', b"'", b"#", b"~", b"%YAML 1.2\n", b"%TAG ! tag:x,2000:\n", b"\n  ", b"\t", b"\xef\xbb\xbf"]
TAR = [b"ustar\x00", b"ustar  \x00", b"00", b"path=", b"linkpath=", b"size=", b"uid=", b"gid=", b"uname=", b"gname=",
       b"mtime=", b"SCHILY.xattr.", b"GNU.sparse.", b"././@LongLink", b".wh.", b".wh..wh..opq", b"../", b"/",
       b"\x80\x00\x00\x00", b"\xff\xff\xff\xff", b"0000777\x00", b"00000000000\x00", b"99999999999\x00", b"2147483647 "]


def quoted(keys):
    return [b'"' + k.encode() + b'"' for k in keys]


def words(keys):
    return [k.encode() for k in keys]


DICTIONARIES = {
    "oci-json": ("JSON syntax and the OCI manifest, index and config fields.", JSON + quoted([
        "schemaVersion", "mediaType", "config", "layers", "manifests", "digest", "size", "platform", "os", "architecture",
        "variant", "annotations", "urls", "created", "author", "User", "Env", "Entrypoint", "Cmd", "ExposedPorts", "Volumes",
        "Labels", "Healthcheck", "Test", "Interval", "Timeout", "StartPeriod", "Retries", "WorkingDir", "StopSignal", "rootfs",
        "diff_ids", "history", "created_by", "empty_layer", "comment", "sha256:", "sha512:",
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json"])),
    "docker-archive": ("JSON syntax, manifest.json's fields and the members of the fixed archive.", JSON + quoted([
        "Config", "RepoTags", "Layers", "LayerSources", "mediaType", "digest", "size", "urls", "config.json", "a/layer.tar",
        "b/layer.tar", "c/layer.tar", "blobs/sha256/", "example:latest", "docker.io/library/example"]) + words(["../", "@1"])),
    "seccomp": ("JSON syntax and the seccomp profile fields.", JSON + quoted([
        "defaultAction", "defaultErrnoRet", "architectures", "archMap", "syscalls", "names", "name", "action", "args",
        "includes", "excludes", "caps", "arches", "index", "value", "op", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_ERRNO",
        "clone", "unshare", "ptrace", "CAP_SYS_ADMIN"])),
    "runtime-config": ("JSON syntax and the OCI runtime config fields.", JSON + quoted([
        "ociVersion", "process", "user", "uid", "gid", "args", "capabilities", "bounding", "effective", "permitted", "ambient",
        "noNewPrivileges", "apparmorProfile", "selinuxLabel", "root", "readonly", "path", "linux", "namespaces", "type",
        "seccomp", "defaultAction", "syscalls", "names", "action", "network", "pid", "ipc", "uts", "mount", "CAP_SYS_ADMIN"])),
    "registry-error": ("JSON syntax and registry error bodies.", JSON + quoted([
        "errors", "code", "message", "detail", "error", "error_description", "details"])),
    "token-response": ("JSON syntax and token endpoint answers.", JSON + quoted([
        "token", "access_token", "expires_in", "issued_at", "refresh_token", "token_type", "Bearer", "2147483647"])),
    "authfile": ("JSON syntax, credentials file fields and registry keys.", JSON + quoted([
        "auths", "auth", "username", "password", "identitytoken", "registrytoken", "email", "credHelpers", "credsStore",
        "docker.io", "index.docker.io", "https://index.docker.io/v1/", "registry-1.docker.io", "docker.io/library",
        "registry.example:5000", "registry.example:5000/team", "http://", "https://", "/v2/", "dXNlcjpwYXNz", "=="])),
    "media-type": ("JSON syntax and manifest media types.", JSON + quoted([
        "schemaVersion", "mediaType", "manifests", "layers", "config", "fsLayers",
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v1+prettyjws", "application/json"])),
    "kubernetes": ("YAML syntax and the workload fields the Pod Security checks read.", YAML + words([
        "apiVersion", "kind", "metadata", "name", "namespace", "spec", "template", "jobTemplate", "items", "containers",
        "initContainers", "ephemeralContainers", "securityContext", "privileged", "allowPrivilegeEscalation", "runAsNonRoot",
        "runAsUser", "hostNetwork", "hostPID", "hostIPC", "os", "windows", "true", "Deployment", "Pod", "CronJob", "List",
        "DaemonSet", "password: "])),
    "ignore-file": ("YAML syntax and the .strataignore fields.", YAML + words([
        "ignores", "id", "path", "paths", "reason", "expires", "2027-01-31", "DKF-001", "**", "*", "?", "[a-z]", "[!a]", "{a,b}", "\\"])),
    "secrets-config": ("YAML syntax, the strata-secrets.yaml fields and regex syntax.", YAML + words([
        "rules", "disable", "allow", "paths", "regexes", "id", "title", "severity", "keywords", "regex", "entropy", "window",
        "before", "after", "precedence", "validate", "explanation", "remediation", "references", "examples", "match", "noMatch",
        "HIGH", "jwt", "openssh-encrypted", "(?<secret>", "(?i)", "(?=", "(?<!", "\\b", "{1,9999}", "[^", "*+", ".*", "(a+)+"])),
    "dockerfile": ("Dockerfile instructions, flags, directives and substitutions.", words([
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR",
        "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", " AS ", "--from=", "--platform=", "--mount=type=cache,target=",
        "--chown=", "--chmod=", "# escape=`\n", "# syntax=", "<<EOF", "<<-EOF", "EOF", "[\"", "\"]", "\\\n", "`\n", "${", ":-",
        ":+", ":?", "##", "%%", "}", "$(", "&&", "||", "|", ";", "apt-get install", "curl ", "sudo ", "scratch", "@sha256:"])),
    "shell": ("Shell words, operators and BuildKit substitutions.", words([
        "${", "}", ":-", ":+", ":?", "#", "##", "%", "%%", "/", "$", "\\", "`", "'", "\"", "&&", "||", "|", ";", "&", "<<", "<<-",
        "(", ")", "set -o pipefail", "apt-get", "install", "-y", "--yes", "sudo", "HOME", "SPACED", "VERSION", "EMPTY"])),
    "auth-challenge": ("WWW-Authenticate schemes and auth-params.", words([
        "Bearer ", "Basic ", "realm=", "service=", "scope=", "error=", "=\"", "\\\"", ", ", "\n"])),
    "tar": ("tar magic, numeric fields, type flags and PAX keys.", TAR),
    "layer": ("gzip and zstd magic, then the tar tokens.", [b"\x1f\x8b\x08", b"\x28\xb5\x2f\xfd"] + TAR),
}


def escape(token):
    out = []
    for byte in token:
        if byte in (0x22, 0x5c):
            out.append("\\" + chr(byte))
        elif 0x20 <= byte < 0x7f:
            out.append(chr(byte))
        else:
            out.append("\\x%02x" % byte)
    return '"' + "".join(out) + '"'


def main():
    folder = os.path.join(HERE, "dictionaries")
    os.makedirs(folder, exist_ok=True)
    for target, (about, tokens) in DICTIONARIES.items():
        with open(os.path.join(folder, target + ".dict"), "w") as out:
            out.write(f"# {target}: {about} Written by fuzz/make-dictionaries.py.\n")
            for token in dict.fromkeys(tokens):
                out.write(escape(token) + "\n")


if __name__ == "__main__":
    main()
