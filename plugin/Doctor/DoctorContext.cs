using KSync.Plugin.Cluster;
using KSync.Plugin.Cluster.Manifests;
using KSync.Plugin.Commands;
using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Doctor;

/// <summary>
/// What doctor's checks share: the settings, and what earlier checks found (the connection, the node agents, radar
/// connections per node), so later checks build on them and are skipped when those failed.
/// </summary>
internal sealed class DoctorContext : IAsyncDisposable
{
    private readonly Dictionary<string, RadarConnection> _radars = new(StringComparer.Ordinal);

    /// <summary>Creates the context.</summary>
    /// <param name="cli">The CLI context.</param>
    /// <param name="settings">The global settings.</param>
    /// <param name="logger">Logger for tunnels.</param>
    public DoctorContext(CliContext cli, GlobalSettings settings, ILogger logger)
    {
        Cli = cli;
        Settings = settings;
        Logger = logger;
    }

    /// <summary>Gets the CLI context.</summary>
    public CliContext Cli { get; }

    /// <summary>Gets the global settings.</summary>
    public GlobalSettings Settings { get; }

    /// <summary>Gets the logger.</summary>
    public ILogger Logger { get; }

    /// <summary>Gets the agent namespace.</summary>
    public string AgentNamespace { get; } = NodeAgent.DefaultNamespace;

    /// <summary>Gets or sets the connection, once the kubeconfig check made it.</summary>
    public ClusterConnection? Connection { get; set; }

    /// <summary>Gets or sets a value indicating whether the API server answered.</summary>
    public bool IsReachable { get; set; }

    /// <summary>Gets or sets a value indicating whether the DaemonSet exists.</summary>
    public bool HasDaemonSet { get; set; }

    /// <summary>Gets or sets the agent's state per node, once the health check read it.</summary>
    public IReadOnlyList<NodeAgentStatus>? Nodes { get; set; }

    /// <summary>A radar connection to a node (opened once, reused).</summary>
    /// <param name="node">The node.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The connection.</returns>
    public async Task<RadarConnection> RadarAsync(string node, CancellationToken cancellationToken)
    {
        if (!_radars.TryGetValue(node, out var radar))
        {
            radar = await RadarConnection.ConnectAsync(Connection!.Client, node, Logger, AgentNamespace, cancellationToken);
            _radars[node] = radar;
        }

        return radar;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var radar in _radars.Values)
        {
            await radar.DisposeAsync();
        }

        Connection?.Dispose();
    }
}
