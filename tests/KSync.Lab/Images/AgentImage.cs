using System.Security.Cryptography;
using KSync.TestKit;

namespace KSync.Lab.Images;

/// <summary>
/// Builds the node agent image the DaemonSet names, from <c>radar/Dockerfile</c>'s <c>prebuilt</c> stage: the
/// published native-AOT radar (<see cref="Binaries.RadarAsync"/>), Debian's syncthing and LICENSE on the base from
/// <see cref="AgentRootfs"/>, with the classic builder of a node's Docker engine. Tagged as the release image
/// <c>ghcr.io/ksync-dotnet/ksync:v&lt;radar's version&gt;</c> (what <c>kubectl ksync init</c> installs by default) and as
/// <see cref="RolloutImage"/>, then saved as an archive that the lab's registry hands to every node.
/// </summary>
internal static class AgentImage
{
    /// <summary>The repository of the release image.</summary>
    public const string Repository = "ghcr.io/ksync-dotnet/ksync";

    /// <summary>A second tag of the same image, for tests of a rollout to another image.</summary>
    public const string RolloutImage = Repository + ":lab-rollout";

    /// <summary>Builds the image in <paramref name="engine"/> and saves it.</summary>
    /// <param name="engine">A Docker node's engine.</param>
    /// <param name="workDirectory">Folder for the build context and the archive.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    /// <returns>The release reference (with radar's version) and the archive holding both tags.</returns>
    public static async Task<(string Image, string Archive)> BuildAsync(DockerEngine engine, string workDirectory, CancellationToken cancellationToken)
    {
        var radar = await Binaries.RadarAsync(cancellationToken);
        var syncthing = Requires.Tool("/usr/bin/syncthing", "syncthing");
        var version = (await ProcessRunner.RunAsync(radar, ["--version"], cancellationToken: cancellationToken)).EnsureSuccess().Stdout.Trim().Split('+')[0];
        var image = $"{Repository}:v{version}";

        var context = Path.Combine(workDirectory, "agent-image");
        Directory.CreateDirectory(context);
        File.Copy(radar, Path.Combine(context, "radar"), overwrite: true);
        File.Copy(syncthing, Path.Combine(context, "syncthing"), overwrite: true);
        File.Copy(Path.Combine(KSync.TestKit.Repository.Root, "LICENSE"), Path.Combine(context, "LICENSE"), overwrite: true);

        var rootfs = Path.Combine(workDirectory, "agent-base.tar");
        await using (var file = File.Create(rootfs))
        {
            await AgentRootfs.WriteAsync(file, [radar, syncthing], cancellationToken);
        }

        var baseImage = "ksync-lab/agent-base:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        (await engine.CliAsync(["import", rootfs, baseImage], cancellationToken: cancellationToken)).EnsureSuccess();
        File.Delete(rootfs);

        var dockerfile = Path.Combine(KSync.TestKit.Repository.Root, "radar", "Dockerfile");
        var build = await ProcessRunner.RunAsync(
            Requires.Tool("docker", "docker.io"),
            ["-H", engine.Endpoint, "build", "-q", "-f", dockerfile, "--target", "prebuilt", "--build-arg", $"PREBUILT_BASE={baseImage}", "--build-arg", $"VERSION={version}", "-t", image, "-t", RolloutImage, context],
            environment: new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "0" },
            timeout: TimeSpan.FromMinutes(3),
            cancellationToken: cancellationToken);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the node agent image from radar/Dockerfile (target prebuilt) failed: {build.Output}");
        }

        Directory.Delete(context, recursive: true);
        var archive = Path.Combine(workDirectory, "agent-image.tar");
        (await engine.CliAsync(["save", "-o", archive, image, RolloutImage], cancellationToken: cancellationToken)).EnsureSuccess();
        return (image, archive);
    }
}
