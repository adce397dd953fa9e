namespace Strata.Testing;

/// <summary>
/// The images the hardening checks are tested on (shared by the image and CLI tests): one that plants every problem the
/// IMG rules look for, one clean image, and one built from a debootstrap Debian rootfs.
/// </summary>
public static class HardeningImages
{
    /// <summary>Layer 0: busybox; 1: the planted tree; 2: links, modes, a 2 MiB file; 3: that file overwritten.</summary>
    public static readonly ImageRecipe Planted = new(
        "hardening-planted",
        """
        FROM scratch
        COPY busybox /bin/busybox
        COPY rootfs/ /
        RUN ["/bin/busybox", "sh", "-c", "set -e; B=/bin/busybox; $B ln -s busybox /bin/sh; $B ln -s /bin/busybox /usr/bin/nc; $B chmod 4755 /usr/bin/sudo; $B chmod 755 /usr/bin/gcc /usr/bin/make /usr/bin/curl /usr/bin/apt-get; $B mkdir -p /data/shared /tmp; $B chmod 777 /data/shared; $B chmod 1777 /tmp; $B chmod 666 /etc/app.conf; $B head -c 2097152 /dev/zero > /data/blob.bin"]
        RUN ["/bin/busybox", "sh", "-c", "/bin/busybox echo small > /data/blob.bin"]
        EXPOSE 22
        EXPOSE 8080
        VOLUME /proc
        """,
        new Dictionary<string, string>
        {
            ["rootfs/etc/os-release"] = "PRETTY_NAME=\"Debian GNU/Linux 9 (stretch)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"9\"\nVERSION=\"9 (stretch)\"\nVERSION_CODENAME=stretch\nID=debian\n",
            ["rootfs/etc/passwd"] = "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0:backdoor:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n",
            ["rootfs/etc/shadow"] = "root:*:19000:0:99999:7:::\ntoor::19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n",
            ["rootfs/etc/group"] = "root:x:0:\nwheel:x:0:root\napp:x:1000:\n",
            ["rootfs/etc/app.conf"] = "listen=8080\n",
            ["rootfs/var/lib/dpkg/status"] = "Package: bash\nStatus: install ok installed\nVersion: 4.4-5\n\nPackage: curl\nStatus: install ok installed\nVersion: 7.52.1-5\n\nPackage: oldpkg\nStatus: deinstall ok config-files\nVersion: 1.0\n",
            ["rootfs/var/lib/apt/lists/deb.debian.org_debian_dists_stretch_InRelease"] = "Origin: Debian\nSuite: oldoldstable\n",
            ["rootfs/var/lib/apt/lists/lock"] = string.Empty,
            ["rootfs/app/.git/HEAD"] = "ref: refs/heads/main\n",
            ["rootfs/app/.git/config"] = "[core]\n\trepositoryformatversion = 0\n",
            ["rootfs/app/main.py"] = "print('hello')\n",
            ["rootfs/usr/bin/gcc"] = "#!/bin/sh\necho fake gcc\n",
            ["rootfs/usr/bin/make"] = "#!/bin/sh\necho fake make\n",
            ["rootfs/usr/bin/curl"] = "#!/bin/sh\necho fake curl\n",
            ["rootfs/usr/bin/apt-get"] = "#!/bin/sh\necho fake apt-get\n",
            ["rootfs/usr/bin/sudo"] = "#!/bin/sh\necho fake sudo\n",
        },
        new Dictionary<string, string> { ["busybox"] = "/bin/busybox" });

    /// <summary>A non-root user, a health check, no tools, a supported OS: nothing beyond INFO to report.</summary>
    public static readonly ImageRecipe Clean = new(
        "hardening-clean",
        """
        FROM scratch
        COPY rootfs/ /
        USER 10001
        HEALTHCHECK CMD ["/app/server", "--health"]
        """,
        new Dictionary<string, string>
        {
            ["rootfs/etc/os-release"] = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME=\"Alpine Linux v3.21\"\n",
            ["rootfs/etc/passwd"] = "root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001::/app:/sbin/nologin\n",
            ["rootfs/etc/shadow"] = "root:*:19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n",
            ["rootfs/etc/group"] = "root:x:0:\napp:x:10001:\n",
            ["rootfs/app/server"] = "stand-in for a static binary\n",
        },
        DockerFormat: true);

    /// <summary>The debootstrap bookworm minbase tree as a one-layer image (FROM scratch, ADD rootfs.tar /).</summary>
    public static ImageRecipe Debian(string rootfsTar) => new(
        "debian-bookworm-minbase",
        """
        FROM scratch
        ADD rootfs.tar /
        """,
        new Dictionary<string, string>(),
        new Dictionary<string, string> { ["rootfs.tar"] = rootfsTar });
}
