using System.Globalization;

namespace KSync.Plugin.Output;

/// <summary>
/// The table <c>get</c> prints: one row per synced container, or one row per spec while it has none
/// (the original's columns NAME LOCAL REMOTE STATUS POD CONTAINER; <c>:ro</c> marks a read-only side).
/// </summary>
internal static class SpecTable
{
    /// <summary>One line per spec whose containers have a warning (the first one's text; the count when several do).</summary>
    /// <param name="view">The specs.</param>
    /// <returns>The lines, e.g. <c>Warning: spec api: the node cannot give files in /app the owner ...</c>.</returns>
    public static IReadOnlyList<string> Warnings(SpecListView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var lines = new List<string>();
        foreach (var spec in view.Items)
        {
            var warned = spec.Services.Where(s => s.Warning.Length > 0).ToList();
            if (warned.Count > 0)
            {
                var more = warned.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({warned.Count} containers)") : string.Empty;
                lines.Add($"Warning: spec {spec.Name}: {warned[0].Warning}{more}");
            }
        }

        return lines;
    }

    /// <summary>Renders <paramref name="view"/> as a table.</summary>
    /// <param name="view">The specs.</param>
    /// <param name="wide">
    /// Adds NAMESPACE, SELECTOR, NODE, RELOAD, PROGRESS, REMOVED (entries first syncs removed from the container), LAST
    /// SYNC, LATENCY (save→visible p50/p95 of the last local changes, e.g. <c>31/58ms</c>), SOURCE (user or project) and
    /// ERROR (while reconnecting: since when and why).
    /// </param>
    /// <returns>The table text.</returns>
    public static string Render(SpecListView view, bool wide)
    {
        ArgumentNullException.ThrowIfNull(view);
        string[] headers = wide
            ? ["name", "local", "remote", "status", "pod", "container", "namespace", "selector", "node", "reload", "progress", "removed", "last sync", "latency", "source", "error"]
            : ["name", "local", "remote", "status", "pod", "container"];
        var table = new TableWriter(headers);
        foreach (var spec in view.Items)
        {
            var local = spec.LocalPath + (spec.LocalReadOnly ? ":ro" : string.Empty);
            var remote = spec.RemotePath + (spec.RemoteReadOnly ? ":ro" : string.Empty);
            var selector = spec.Selector.Count == 0 ? string.Empty : string.Join(',', spec.Selector);
            if (spec.Services.Count == 0)
            {
                table.AddRow(spec.Name, local, remote, spec.Status, spec.Pod, spec.ContainerName, spec.Namespace, selector, string.Empty, spec.Reload, string.Empty, string.Empty, string.Empty, string.Empty, spec.Source, spec.Reason);
                continue;
            }

            foreach (var service in spec.Services)
            {
                table.AddRow(
                    spec.Name,
                    local,
                    remote,
                    StatusText(service),
                    service.Pod,
                    service.Container,
                    spec.Namespace,
                    selector,
                    service.Node,
                    spec.Reload,
                    service.InitialSyncPercent.ToString("0", CultureInfo.InvariantCulture) + "%",
                    service.FirstSyncRemoved.ToString(CultureInfo.InvariantCulture),
                    service.LastSync,
                    SaveToVisible(service),
                    spec.Source,
                    service.Status == "reconnecting" ? $"since {service.ReconnectingSince}: {service.ReconnectReason}" : service.LastError);
            }
        }

        return table.Render();
    }

    /// <summary>The STATUS cell of a container: its status, or while the first sync's seed streams, how far it is.</summary>
    /// <param name="service">The container.</param>
    /// <returns>E.g. <c>watching</c> or <c>seeding 4,210/10,000 files, 12/40 MB</c>.</returns>
    public static string StatusText(ServiceView service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Seed is { } seed && service.Status == "syncing" ? SeedText.Compact(seed) : service.Status;
    }

    // p50/p95 in whole milliseconds, or empty before a local change landed.
    private static string SaveToVisible(ServiceView service)
        => service.SaveToVisibleP50Ms is { } p50 && service.SaveToVisibleP95Ms is { } p95
            ? string.Create(CultureInfo.InvariantCulture, $"{p50:0}/{p95:0}ms")
            : string.Empty;
}
