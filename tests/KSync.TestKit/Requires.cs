using Xunit;

namespace KSync.TestKit;

/// <summary>
/// Preconditions of tests that need real engines (Docker, syncthing, containerd, root). Locally a missing
/// precondition skips the test with the reason printed; under <c>CI=true</c> it fails the test, so CI can never
/// pass by skipping.
/// </summary>
public static class Requires
{
    /// <summary>Gets a value indicating whether the tests run in CI (<c>CI=true</c>).</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Requires an executable on PATH (or an absolute path that exists).</summary>
    /// <param name="name">Executable name, e.g. <c>dockerd</c>.</param>
    /// <param name="package">Debian package that provides it, for the message.</param>
    /// <returns>The full path of the executable.</returns>
    public static string Tool(string name, string package)
    {
        var path = Which(name);
        if (path is null)
        {
            Missing($"'{name}' is not installed (Debian package '{package}'; tests/setup.sh installs it).");
        }

        return path!;
    }

    /// <summary>Requires root (the private Docker engine, containerd and mounts need it).</summary>
    public static void Root()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("USER") is not "root" && GetEuid() != 0)
        {
            Missing("the test needs root on Linux (it starts a private container engine).");
        }
    }

    /// <summary>Skips (locally) or fails (CI) the current test with <paramref name="reason"/>.</summary>
    /// <param name="reason">What is missing and how to get it.</param>
    public static void Missing(string reason)
    {
        if (IsCi)
        {
            Assert.Fail($"CI=true and a test precondition is missing: {reason}");
        }

        Console.Error.WriteLine($"SKIPPED: {reason}");
        Assert.Skip(reason);
    }

    /// <summary>Finds an executable on PATH.</summary>
    /// <param name="name">Name or absolute path.</param>
    /// <returns>The full path, or null.</returns>
    public static string? Which(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static uint GetEuid()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    return uint.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return uint.MaxValue;
    }
}
