namespace KSync.Engine.Nodes;

/// <summary>How this machine reaches a node's syncthing.</summary>
/// <param name="ApiAddress">Its REST API base address, e.g. <c>http://127.0.0.1:41234/</c> (a tunnel's local end).</param>
/// <param name="ApiKey">Its REST API key (the installation's, random per cluster).</param>
/// <param name="SyncAddress">Where the local syncthing dials its sync port, e.g. <c>tcp://127.0.0.1:41235</c>; the node never dials back.</param>
/// <param name="Version">Its version as the agent reports it, for logs (e.g. <c>v1.19.2</c>); empty when unknown.</param>
public sealed record NodeSyncthing(Uri ApiAddress, string ApiKey, string SyncAddress, string Version);
