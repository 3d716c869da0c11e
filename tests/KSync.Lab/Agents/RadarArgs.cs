namespace KSync.Lab.Agents;

/// <summary>
/// THE one place that maps the DaemonSet's radar container to a host process: the rendered args with every pod
/// port rewritten to the host port the lab picked, <c>--host-root</c> emptied (the host is the node), and the lab
/// engine's Docker socket. Flags the radar binary does not know (checked against its <c>--help</c>) are dropped,
/// so the lab runs every radar build, before and after new flags land.
/// </summary>
internal static class RadarArgs
{
    /// <summary>Names radar may use for the Docker socket flag, in order of preference.</summary>
    public static readonly string[] DockerSocketFlags = ["--docker-socket", "--docker-endpoint", "--docker-host"];

    /// <summary>Flags whose value is a pod port: flag → pod port it refers to.</summary>
    public static readonly IReadOnlyDictionary<string, string> PortFlags = new Dictionary<string, string>
    {
        ["--port"] = "grpc",
        ["--health-port"] = "health",
        ["--syncthing-sync-port"] = "sync",
    };

    /// <summary>Maps the rendered args.</summary>
    /// <param name="rendered">The container's args from the DaemonSet.</param>
    /// <param name="hostPort">Host port for a pod port number.</param>
    /// <param name="dockerSocket">The lab engine's socket path.</param>
    /// <param name="knownFlags">Flags the radar binary accepts (from its help).</param>
    /// <param name="dropped">Receives the args dropped because radar does not know them.</param>
    /// <returns>The host process's args.</returns>
    public static List<string> Map(IEnumerable<string> rendered, Func<int, int> hostPort, string dockerSocket, IReadOnlySet<string> knownFlags, List<string> dropped)
    {
        var result = new List<string>();
        foreach (var arg in rendered)
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = eq < 0 ? arg : arg[..eq];
            var value = eq < 0 ? null : arg[(eq + 1)..];
            if (!knownFlags.Contains(flag))
            {
                dropped.Add(arg);
                continue;
            }

            if (PortFlags.ContainsKey(flag) && int.TryParse(value, out var port))
            {
                result.Add($"{flag}={hostPort(port)}");
            }
            else if (flag == "--syncthing-api" && value is not null && Uri.TryCreate(value, UriKind.Absolute, out var api))
            {
                result.Add($"{flag}={api.Scheme}://127.0.0.1:{hostPort(api.Port)}");
            }
            else if (flag == "--host-root")
            {
                result.Add("--host-root=");
            }
            else
            {
                result.Add(arg);
            }
        }

        if (DockerSocketFlags.FirstOrDefault(knownFlags.Contains) is string socketFlag)
        {
            result.Add($"{socketFlag}={dockerSocket}");
        }

        return result;
    }

    /// <summary>Reads the flags a radar binary accepts from its <c>--help</c> output.</summary>
    /// <param name="help">The help text.</param>
    /// <returns>Every <c>--flag</c> named in it.</returns>
    public static HashSet<string> ParseHelp(string help)
        => [.. System.Text.RegularExpressions.Regex.Matches(help, "--[a-z][a-z0-9-]*").Select(m => m.Value)];
}
