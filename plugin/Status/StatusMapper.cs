using System.Globalization;
using KSync.Plugin.Config;
using KSync.Plugin.Output;
using Wire = KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Status;

/// <summary>Maps between the domain, the status contract (proto/ksync.proto) and the <c>get</c> views.</summary>
internal static class StatusMapper
{
    /// <summary>The status <c>get</c> shows for specs when no watch answers.</summary>
    public const string NotWatching = "not watching";

    /// <summary>Views the specs of the files alone (no watch running).</summary>
    /// <param name="specs">The specs with their files.</param>
    /// <returns>Every spec with status <see cref="NotWatching"/>.</returns>
    public static SpecListView FromConfig(IEnumerable<ResolvedSpec> specs) => new()
    {
        Watching = false,
        Items = [.. specs.Select(s => ToView(ToProto(s.Details, s.Source), NotWatching, string.Empty, []))],
    };

    /// <summary>Views what watch reported.</summary>
    /// <param name="list">The status server's spec list.</param>
    /// <returns>The view.</returns>
    public static SpecListView FromStatus(Wire.SpecList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return new SpecListView
        {
            Watching = true,
            Items = [.. list.Items.Select(s => ToView(s, Name(s.Status), s.Reason, [.. (s.Services?.Items ?? []).Select(ToView)]))],
        };
    }

    /// <summary>Converts a spec's settings to the status contract.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The proto message.</returns>
    public static Wire.SpecDetails ToProto(SpecDetails spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var details = new Wire.SpecDetails
        {
            Name = spec.Name,
            ContainerName = spec.ContainerName,
            Pod = spec.Pod,
            Namespace = spec.Namespace,
            LocalPath = spec.LocalPath,
            RemotePath = spec.RemotePath,
            LocalReadOnly = spec.LocalReadOnly,
            RemoteReadOnly = spec.RemoteReadOnly,
            Reload = ReloadText(spec),
        };
        details.Selector.AddRange(spec.Selector);
        return details;
    }

    /// <summary>The lower-case name <c>get</c> shows for a spec status.</summary>
    /// <param name="status">The status.</param>
    /// <returns>waiting, active or error.</returns>
    public static string Name(Wire.SpecStatus status) => status switch
    {
        Wire.SpecStatus.Waiting => "waiting",
        Wire.SpecStatus.Active => "active",
        Wire.SpecStatus.Error => "error",
        _ => "unknown",
    };

    /// <summary>The lower-case name <c>get</c> shows for a service status.</summary>
    /// <param name="status">The status.</param>
    /// <returns>starting, syncing, watching, reloading or error.</returns>
    public static string Name(Wire.ServiceStatus status) => status switch
    {
        Wire.ServiceStatus.Starting => "starting",
        Wire.ServiceStatus.Syncing => "syncing",
        Wire.ServiceStatus.Watching => "watching",
        Wire.ServiceStatus.Reloading => "reloading",
        Wire.ServiceStatus.Error => "error",
        _ => "unknown",
    };

    private static string ReloadText(SpecDetails spec)
    {
        try
        {
            return ReloadMode.Of(spec).ToString();
        }
        catch (FormatException)
        {
            return spec.ReloadMode ?? string.Empty;
        }
    }

    /// <summary>A spec's settings and file in the status contract (no status yet).</summary>
    /// <param name="spec">The spec's settings.</param>
    /// <param name="source">Its file, or null when unknown.</param>
    /// <returns>The proto message.</returns>
    public static Wire.Spec ToProto(SpecDetails spec, SpecSource? source) => new()
    {
        Details = ToProto(spec),
        Source = source?.Kind switch
        {
            SpecSourceKind.User => "user",
            SpecSourceKind.Project => "project",
            _ => string.Empty,
        },
        SourcePath = source?.Path ?? string.Empty,
    };

    private static SpecView ToView(Wire.Spec spec, string status, string reason, List<ServiceView> services)
    {
        var view = ToView(spec.Details, status, reason, services);
        view.Source = spec.Source;
        view.SourcePath = spec.SourcePath;
        return view;
    }

    private static SpecView ToView(Wire.SpecDetails details, string status, string reason, List<ServiceView> services) => new()
    {
        Name = details.Name,
        Namespace = details.Namespace,
        LocalPath = details.LocalPath,
        RemotePath = details.RemotePath,
        Pod = details.Pod,
        Selector = [.. details.Selector],
        ContainerName = details.ContainerName,
        Reload = details.Reload,
        LocalReadOnly = details.LocalReadOnly,
        RemoteReadOnly = details.RemoteReadOnly,
        Status = status,
        Reason = reason,
        Services = services,
    };

    private static ServiceView ToView(Wire.Service service) => new()
    {
        Pod = service.RemoteContainer?.PodName ?? string.Empty,
        Container = service.RemoteContainer?.ContainerName ?? string.Empty,
        Node = service.RemoteContainer?.NodeName ?? string.Empty,
        ContainerId = service.RemoteContainer?.ContainerId ?? string.Empty,
        Status = Name(service.Status),
        InitialSyncPercent = service.InitialSyncPercent,
        LastSync = service.LastSync is null ? string.Empty : service.LastSync.ToDateTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        LastError = service.LastError,
        Backend = service.Backend,
        OnVolume = service.OnVolume,
        ReloadCount = service.ReloadCount,
    };
}
