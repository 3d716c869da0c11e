using KSync.TestKit;

namespace KSync.Distribution.Tests.Infrastructure;

/// <summary>The Dev Containers CLI (npm @devcontainers/cli), installed by tests/setup.sh into artifacts/tools/.</summary>
public static class DevcontainerCli
{
    public static string Path => System.IO.Path.Combine(Repository.Artifacts, "tools", "devcontainer-cli", "node_modules", ".bin", "devcontainer");

    /// <summary>Requires the CLI (skips locally, fails under CI when setup.sh has not installed it).</summary>
    public static string Require()
    {
        Requires.Tool("node", "nodejs");
        if (!File.Exists(Path))
        {
            Requires.Missing($"the Dev Containers CLI is not installed at {Path} (tests/setup.sh installs it with npm).");
        }

        return Path;
    }
}
