using System.Globalization;

namespace KSync.Plugin.Processes;

/// <summary>
/// PID files: one line holding a process ID. A PID file is only trusted while that process still exists; one
/// whose process is gone is stale.
/// </summary>
internal static class PidFile
{
    /// <summary>Writes <paramref name="pid"/> to <paramref name="path"/> (replacing it atomically).</summary>
    /// <param name="path">The PID file.</param>
    /// <param name="pid">The process ID.</param>
    public static void Write(string path, int pid)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, pid.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads the PID in <paramref name="path"/> when that process is alive.</summary>
    /// <param name="path">The PID file.</param>
    /// <returns>The PID, or null when the file is missing, malformed or stale.</returns>
    public static int? ReadLive(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            return null;
        }

        return IsAlive(pid) ? pid : null;
    }

    /// <summary>Whether a process with <paramref name="pid"/> exists: procfs on Linux (a zombie counts as gone), kill(pid, 0) on other Unixes.</summary>
    /// <param name="pid">The process ID.</param>
    /// <returns>True when it runs.</returns>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // Field 3 of /proc/<pid>/stat is the state; Z is a zombie that only waits to be reaped.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var afterName = stat.LastIndexOf(')');
                return afterName > 0 && stat.Length > afterName + 2 && stat[afterName + 2] != 'Z';
            }
            catch (IOException)
            {
                return false;
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            return ProcessSignals.Exists(pid);
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
