using KSync.TestKit;

namespace KSync.Distribution.Tests.Infrastructure;

/// <summary>
/// A Debian 12 base image built on this machine (no registry is reachable): <c>debootstrap --variant=minbase bookworm</c>
/// from Debian's mirror, packed as a tarball cached in <c>artifacts/cache/</c> (so only the first run pays the ~1.5 min;
/// uncompressed, ~200 MB, because packing and importing it is then a matter of seconds), then <c>docker import</c>ed into a private engine.
/// </summary>
public static class DebianRootfs
{
    public const string Image = "ksync-test/debian:bookworm";

    public static string CachedTarball => Path.Combine(Repository.Artifacts, "cache", "debian-bookworm-minbase.tar");

    /// <summary>Imports the image into <paramref name="engine"/>, building the cached tarball first when missing.</summary>
    public static async Task ImportAsync(DockerEngine engine)
    {
        var tarball = await TarballAsync();
        var result = await engine.CliAsync(["import", tarball, Image], cancellationToken: TestContext.Current.CancellationToken);
        result.EnsureSuccess();
    }

    private static async Task<string> TarballAsync()
    {
        if (File.Exists(CachedTarball))
        {
            return CachedTarball;
        }

        var debootstrap = Requires.Tool("debootstrap", "debootstrap");
        Directory.CreateDirectory(Path.GetDirectoryName(CachedTarball)!);
        using var rootfs = new TempDirectory("ksync-debootstrap");
        var target = Path.Combine(rootfs.Path, "rootfs");
        try
        {
            var build = await ProcessRunner.RunAsync(
                debootstrap,
                ["--variant=minbase", "bookworm", target, "http://deb.debian.org/debian"],
                timeout: TimeSpan.FromMinutes(8),
                cancellationToken: TestContext.Current.CancellationToken);
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"debootstrap failed (is Debian's mirror reachable?): {build.Output}");
            }

            // Leave out apt's caches (like the official images), and write atomically for concurrent or interrupted runs.
            var temp = CachedTarball + $".{Environment.ProcessId}.tmp";
            var pack = await ProcessRunner.RunAsync(
                "bash",
                ["-c", $"rm -rf {Shell.Quote(target)}/var/cache/apt/archives/*.deb {Shell.Quote(target)}/var/lib/apt/lists/* && tar -C {Shell.Quote(target)} -cf {Shell.Quote(temp)} ."],
                timeout: TimeSpan.FromMinutes(5),
                cancellationToken: TestContext.Current.CancellationToken);
            pack.EnsureSuccess();
            File.Move(temp, CachedTarball, overwrite: true);
            return CachedTarball;
        }
        finally
        {
            // debootstrap mounts proc and sys in the target; a failed run can leave them mounted.
            await ProcessRunner.RunAsync("bash", ["-c", $"umount -R {Shell.Quote(target)}/proc {Shell.Quote(target)}/sys 2>/dev/null; true"]);
        }
    }
}
