using System.Text.Json;

namespace KSync.Radar.Runtimes.Cri;

/// <summary>
/// What radar reads from the JSON a CRI runtime returns in <c>ContainerStatusResponse.info["info"]</c> with
/// <c>verbose=true</c> (containerd: <c>pkg/cri/server/container_status.go</c>; CRI-O: <c>server/container_status.go</c>):
/// the main process ID and the OCI runtime spec's root path. containerd gives <c>root.path</c> relative to the
/// task bundle (<c>rootfs</c>); CRI-O gives the absolute mountpoint.
/// </summary>
/// <param name="Pid">Main process ID on the node, 0 when absent.</param>
/// <param name="RootPath">OCI <c>runtimeSpec.root.path</c>, or null.</param>
internal sealed record CriVerboseInfo(int Pid, string? RootPath)
{
    /// <summary>Parses the verbose info; tolerates missing fields and malformed JSON (then both are unknown).</summary>
    /// <param name="json">The value of <c>info["info"]</c>, or null.</param>
    /// <returns>The parsed facts.</returns>
    public static CriVerboseInfo Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new CriVerboseInfo(0, null);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new CriVerboseInfo(0, null);
            }

            var pid = root.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n) ? n : 0;
            string? rootPath = null;
            if (root.TryGetProperty("runtimeSpec", out var spec) && spec.ValueKind == JsonValueKind.Object
                && spec.TryGetProperty("root", out var specRoot) && specRoot.ValueKind == JsonValueKind.Object
                && specRoot.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String)
            {
                rootPath = path.GetString();
            }

            return new CriVerboseInfo(pid, string.IsNullOrEmpty(rootPath) ? null : rootPath);
        }
        catch (JsonException)
        {
            return new CriVerboseInfo(0, null);
        }
    }

    /// <summary>
    /// Reads a string from the JSON document in <c>StatusResponse.info["config"]</c> (containerd's CRI plugin
    /// configuration: <c>stateDir</c>, <c>containerdRootDir</c>, <c>containerd.snapshotter</c>).
    /// </summary>
    /// <param name="json">The config JSON, or null.</param>
    /// <param name="path">Property names from the root.</param>
    /// <returns>The string, or null when absent.</returns>
    public static string? ConfigString(string? json, params string[] path)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var element = document.RootElement;
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }

            return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
