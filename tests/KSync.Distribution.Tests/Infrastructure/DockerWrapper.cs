using KSync.TestKit;

namespace KSync.Distribution.Tests.Infrastructure;

/// <summary>
/// A <c>docker</c> first on PATH for the Dev Containers CLI that adds <c>--network host</c> to image builds: the private
/// engine has no bridge network, and the feature's install.sh installs packages with apt during the build.
/// </summary>
public static class DockerWrapper
{
    /// <summary>Writes the wrapper into <paramref name="work"/>/wrapper.</summary>
    /// <returns>The folder to put first on PATH.</returns>
    public static string Write(TempDirectory work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var docker = Requires.Tool("docker", "docker.io");
        var bin = work.Combine("wrapper");
        Directory.CreateDirectory(bin);
        var path = Path.Combine(bin, "docker");
        File.WriteAllText(path, $"""
            #!/bin/sh
            # Image builds need the host network here (the private engine has no bridge).
            if [ "$1" = build ]; then shift; exec {docker} build --network host "$@"; fi
            if [ "$1" = buildx ] && [ "$2" = build ]; then shift 2; exec {docker} build --network host "$@"; fi
            exec {docker} "$@"

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }
}
