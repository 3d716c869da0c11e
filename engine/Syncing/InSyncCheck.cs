namespace KSync.Engine.Syncing;

/// <summary>One answer of <see cref="IFolder.CheckInSyncAsync"/>.</summary>
/// <param name="Rescanned">Whether this call rescanned the local folder (asked to, and the scan finished).</param>
/// <param name="NotYet">Null when the container holds every local change; else why not (<see cref="InSyncRule"/>).</param>
public sealed record InSyncCheck(bool Rescanned, string? NotYet);
