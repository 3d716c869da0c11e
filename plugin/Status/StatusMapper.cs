using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using KSync.Config.Model;
using KSync.Config.Sources;
using KSync.Engine.Status;
using KSync.Engine.Syncing;
using KSync.Plugin.Cluster;
using KSync.Plugin.Output;
using Wire = KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Status;

/// <summary>
/// The one mapping between the engine's statuses, the status contract (proto/ksync.proto) and the <c>get</c> views:
/// watch renders its SpecList with <see cref="ToProto(IEnumerable{Spec}, ApiConnectionState, Func{string, SpecSource})"/>, <c>get</c> turns the
/// answer into views with <see cref="FromStatus"/>.
/// </summary>
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

    /// <summary>Renders running specs and the API connection into the status contract.</summary>
    /// <param name="specs">The specs, in order.</param>
    /// <param name="api">The Kubernetes API connection state.</param>
    /// <param name="sourceOf">The file a spec comes from, by name (null when unknown).</param>
    /// <returns>The spec list message.</returns>
    public static Wire.SpecList ToProto(IEnumerable<Spec> specs, ApiConnectionState api, Func<string, SpecSource?> sourceOf)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(api);
        var list = new Wire.SpecList
        {
            Api = new Wire.ApiConnection
            {
                State = api.Name,
                Since = Timestamp.FromDateTimeOffset(api.Since),
                LastError = api.LastError ?? string.Empty,
            },
        };
        foreach (var spec in specs)
        {
            var (status, reason) = spec.Status;
            var message = ToProto(spec.Details, sourceOf(spec.Details.Name));
            message.Status = ToProto(status);
            message.Reason = reason;
            message.Services = new Wire.ServiceList();
            message.Services.Items.AddRange(spec.Services.Items.Select(s => ToProto(s.Container, s.State.Snapshot)));
            list.Items.Add(message);
        }

        return list;
    }

    /// <summary>Converts a container to the status contract.</summary>
    /// <param name="container">The container.</param>
    /// <returns>The proto message.</returns>
    public static Wire.RemoteContainer ToProto(RemoteContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return new Wire.RemoteContainer
        {
            PodName = container.PodName,
            Namespace = container.Namespace,
            NodeName = container.NodeName,
            ContainerName = container.ContainerName,
            ContainerId = container.ContainerId,
            RestartCount = container.RestartCount,
        };
    }

    /// <summary>Converts a service's state to the status contract.</summary>
    /// <param name="container">The service's container.</param>
    /// <param name="state">A snapshot of its state.</param>
    /// <returns>The proto message.</returns>
    public static Wire.Service ToProto(RemoteContainer container, ServiceSnapshot state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new Wire.Service
        {
            RemoteContainer = ToProto(container),
            Status = ToProto(state.Status),
            LastError = state.LastError,
            InitialSyncPercent = state.InitialSyncPercent,
            LastSync = state.LastSync is { } when ? Timestamp.FromDateTimeOffset(when) : null,
            NodePath = state.NodePath,
            Backend = state.Backend,
            OnVolume = state.OnVolume,
            ReloadCount = state.ReloadCount,
            ReconnectingSince = state.ReconnectingSince is { } since ? Timestamp.FromDateTimeOffset(since) : null,
            ReconnectReason = state.ReconnectReason,
            Warning = state.Warning,
            Seed = state.Seed is { } seed
                ? new Wire.SeedProgress { FilesDone = seed.FilesDone, FilesTotal = seed.FilesTotal, BytesDone = seed.BytesDone, BytesTotal = seed.BytesTotal }
                : null,
            FirstSyncRemoved = state.FirstSyncRemoved,
            SaveToVisible = state.Latency is { Samples: > 0 } latency
                ? new Wire.SaveToVisible { Samples = latency.Samples, Landed = latency.Landed, P50Ms = latency.P50Milliseconds ?? 0, P95Ms = latency.P95Milliseconds ?? 0 }
                : null,
        };
    }

    /// <summary>Views one service as watch reported it.</summary>
    /// <param name="service">The proto message.</param>
    /// <returns>The view.</returns>
    public static ServiceView ToView(Wire.Service service) => new()
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
        ReconnectingSince = service.ReconnectingSince is null ? string.Empty : service.ReconnectingSince.ToDateTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ReconnectReason = service.ReconnectReason,
        Warning = service.Warning,
        Seed = service.Seed is { } seed
            ? new SeedView { FilesDone = seed.FilesDone, FilesTotal = seed.FilesTotal, BytesDone = seed.BytesDone, BytesTotal = seed.BytesTotal }
            : null,
        FirstSyncRemoved = service.FirstSyncRemoved,
        SaveToVisibleSamples = service.SaveToVisible?.Samples ?? 0,
        SaveToVisibleP50Ms = service.SaveToVisible is { } latency ? Math.Round(latency.P50Ms, 1) : null,
        SaveToVisibleP95Ms = service.SaveToVisible is { } tail ? Math.Round(tail.P95Ms, 1) : null,
    };

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
            Owner = spec.Owner ?? string.Empty,
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
    /// <returns>starting, syncing, watching, reloading, reconnecting or error.</returns>
    public static string Name(Wire.ServiceStatus status) => status switch
    {
        Wire.ServiceStatus.Starting => "starting",
        Wire.ServiceStatus.Syncing => "syncing",
        Wire.ServiceStatus.Watching => "watching",
        Wire.ServiceStatus.Reloading => "reloading",
        Wire.ServiceStatus.Error => "error",
        Wire.ServiceStatus.Reconnecting => "reconnecting",
        _ => "unknown",
    };

    private static Wire.SpecStatus ToProto(SpecStatus status) => status switch
    {
        SpecStatus.Waiting => Wire.SpecStatus.Waiting,
        SpecStatus.Active => Wire.SpecStatus.Active,
        _ => Wire.SpecStatus.Error,
    };

    private static Wire.ServiceStatus ToProto(ServiceStatus status) => status switch
    {
        ServiceStatus.Starting => Wire.ServiceStatus.Starting,
        ServiceStatus.Syncing => Wire.ServiceStatus.Syncing,
        ServiceStatus.Watching => Wire.ServiceStatus.Watching,
        ServiceStatus.Reloading => Wire.ServiceStatus.Reloading,
        ServiceStatus.Reconnecting => Wire.ServiceStatus.Reconnecting,
        _ => Wire.ServiceStatus.Error,
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
        Owner = details.Owner,
        Status = status,
        Reason = reason,
        Services = services,
    };
}
