namespace KSync.TestKit;

/// <summary>
/// The native-AOT binaries under test. tests/run.sh publishes them to <c>artifacts/publish/</c> and names them in
/// <c>KSYNC_TEST_PLUGIN</c> and <c>KSYNC_TEST_RADAR</c>. Without those variables, a binary that is missing or
/// older than its sources is published on first use (once, under a lock), so a plain <c>dotnet test</c> tests
/// the current code.
/// </summary>
public static class Binaries
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>Gets the path of the published <c>kubectl-ksync</c>.</summary>
    /// <param name="cancellationToken">Cancels a publish in progress.</param>
    /// <returns>The absolute path of an existing executable.</returns>
    public static Task<string> PluginAsync(CancellationToken cancellationToken = default)
        => ResolveAsync("KSYNC_TEST_PLUGIN", "plugin/KSync.Plugin.csproj", "kubectl-ksync", cancellationToken);

    /// <summary>Gets the path of the published <c>radar</c>.</summary>
    /// <param name="cancellationToken">Cancels a publish in progress.</param>
    /// <returns>The absolute path of an existing executable.</returns>
    public static Task<string> RadarAsync(CancellationToken cancellationToken = default)
        => ResolveAsync("KSYNC_TEST_RADAR", "radar/KSync.Radar.csproj", "radar", cancellationToken);

    /// <summary>Gets the folder a binary is published to: <c>artifacts/publish/&lt;name&gt;</c>.</summary>
    /// <param name="name">Binary name.</param>
    /// <returns>The folder.</returns>
    public static string PublishDirectory(string name) => Path.Combine(Repository.Artifacts, "publish", name);

    private static async Task<string> ResolveAsync(string variable, string project, string name, CancellationToken cancellationToken)
    {
        var fromEnv = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return File.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : throw new FileNotFoundException($"{variable} names a missing file.", fromEnv);
        }

        var path = Path.Combine(PublishDirectory(name), name);
        if (IsFresh(path))
        {
            return path;
        }

        await s_gate.WaitAsync(cancellationToken);
        try
        {
            if (!IsFresh(path))
            {
                await PublishAsync(project, name, cancellationToken);
            }
        }
        finally
        {
            s_gate.Release();
        }

        return path;
    }

    // A binary older than any source it is built from would test yesterday's code.
    private static bool IsFresh(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var built = File.GetLastWriteTimeUtc(path);
        return !new[] { "plugin", "radar", "proto" }
            .Select(folder => Path.Combine(Repository.Root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Any(file => File.GetLastWriteTimeUtc(file) > built);
    }

    private static async Task PublishAsync(string project, string name, CancellationToken cancellationToken)
    {
        // A file lock serializes publishes across test processes.
        Directory.CreateDirectory(Repository.Artifacts);
        var lockPath = Path.Combine(Repository.Artifacts, $".publish-{name}.lock");
        FileStream? held = null;
        while (held is null)
        {
            try
            {
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(500, cancellationToken);
            }
        }

        await using (held)
        {
            if (IsFresh(Path.Combine(PublishDirectory(name), name)))
            {
                return;
            }

            var result = await ProcessRunner.RunAsync(
                "dotnet",
                ["publish", Path.Combine(Repository.Root, project), "-c", "Release", "-r", RuntimeId, "-o", PublishDirectory(name), "--nologo"],
                timeout: TimeSpan.FromMinutes(10),
                cancellationToken: cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish {project} failed: {result.Output}");
            }
        }
    }

    private static string RuntimeId => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "linux-arm64",
        _ => "linux-x64",
    };
}
