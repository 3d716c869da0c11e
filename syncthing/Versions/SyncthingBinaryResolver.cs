using System.Diagnostics;

namespace KSync.Syncthing.Versions;

/// <summary>
/// Finds the syncthing executable and reads its version. Order: the <c>KSYNC_SYNCTHING</c> environment variable (a
/// path), then <c>&lt;KSYNC_HOME&gt;/bin/syncthing</c> (what <c>init --local</c> installs), then <c>syncthing</c> on
/// <c>PATH</c>.
/// </summary>
public static class SyncthingBinaryResolver
{
    /// <summary>Name of the environment variable that names a syncthing executable.</summary>
    public const string EnvironmentVariable = "KSYNC_SYNCTHING";

    /// <summary>How long <c>syncthing --version</c> may take.</summary>
    public static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Gets the file name of the executable on this OS: <c>syncthing</c> or <c>syncthing.exe</c>.</summary>
    public static string ExecutableName => OperatingSystem.IsWindows() ? "syncthing.exe" : "syncthing";

    /// <summary>Finds syncthing and reads its version.</summary>
    /// <param name="binDirectory">Where <c>kubectl ksync init --local</c> installs syncthing (<c>~/.ksync/bin</c>).</param>
    /// <param name="environment">Reads an environment variable (<c>KSYNC_SYNCTHING</c>, <c>PATH</c>).</param>
    /// <param name="cancellationToken">Cancels the version check.</param>
    /// <returns>The executable, its version and capabilities.</returns>
    /// <exception cref="SyncthingException">No syncthing was found, it does not run, or its version is unsupported.</exception>
    public static async Task<SyncthingBinary> ResolveAsync(string binDirectory, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binDirectory);
        ArgumentNullException.ThrowIfNull(environment);
        var path = Locate(binDirectory, environment);
        var version = await ReadVersionAsync(path, cancellationToken);
        return new SyncthingBinary(path, version, SyncthingCapabilities.For(version));
    }

    /// <summary>Finds the executable without running it.</summary>
    /// <param name="binDirectory">Where <c>kubectl ksync init --local</c> installs syncthing (<c>~/.ksync/bin</c>).</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The absolute path.</returns>
    /// <exception cref="SyncthingException"><c>KSYNC_SYNCTHING</c> names a missing file, or no syncthing was found.</exception>
    public static string Locate(string binDirectory, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(binDirectory);
        ArgumentNullException.ThrowIfNull(environment);
        var fromEnv = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            var full = Path.GetFullPath(fromEnv);
            return File.Exists(full)
                ? full
                : throw new SyncthingException(
                    $"{EnvironmentVariable} names '{fromEnv}', which does not exist.",
                    $"Point {EnvironmentVariable} at a syncthing executable, or unset it to use ~/.ksync/bin/syncthing.");
        }

        var installed = Path.Combine(binDirectory, ExecutableName);
        if (File.Exists(installed))
        {
            return installed;
        }

        foreach (var dir in (environment("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, ExecutableName);
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new SyncthingException(
            "syncthing was not found (not in KSYNC_SYNCTHING, ~/.ksync/bin or PATH).",
            "Run 'kubectl ksync init --local' to install it, or install syncthing with your package manager.");
    }

    /// <summary>Runs <c>syncthing --version</c> and parses its output.</summary>
    /// <param name="path">The executable.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The version.</returns>
    /// <exception cref="SyncthingException">It did not run, timed out or printed no version.</exception>
    public static async Task<SyncthingVersion> ReadVersionAsync(string path, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--version");
        string output;
        try
        {
            using var process = Process.Start(info) ?? throw new SyncthingException($"'{path} --version' did not start.");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(VersionTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new SyncthingException($"'{path} --version' did not finish within {VersionTimeout.TotalSeconds:0} s.");
            }

            output = await stdout + await stderr;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new SyncthingException(
                $"'{path}' could not be run: {ex.Message}.",
                "Check that it is a syncthing executable for this machine and is executable (chmod +x).",
                ex);
        }

        return SyncthingVersion.TryParse(output, out var version)
            ? version
            : throw new SyncthingException(
                $"'{path} --version' printed no syncthing version: {output.Trim()}",
                "Point KSYNC_SYNCTHING at a syncthing executable, or run 'kubectl ksync init --local'.");
    }
}
