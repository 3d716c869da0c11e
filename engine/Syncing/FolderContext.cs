using KSync.Engine.Identity;
using KSync.Engine.Local;
using KSync.Engine.Nodes;
using Microsoft.Extensions.Logging;

namespace KSync.Engine.Syncing;

/// <summary>What every Folder of a watch shares.</summary>
/// <param name="Local">The local syncthing.</param>
/// <param name="Nodes">The node sessions.</param>
/// <param name="Identities">The owner of folder IDs and leftover rules.</param>
/// <param name="Options">Tuning.</param>
/// <param name="Loggers">Makes loggers.</param>
/// <param name="Time">The clock for statuses, waits and timeouts.</param>
/// <param name="Sweeper">Told when a Folder stops (its record may now be a leftover); null for none.</param>
public sealed record FolderContext(LocalSyncthing Local, NodeSessionPool Nodes, FolderIdentities Identities, WatchOptions Options, ILoggerFactory Loggers, TimeProvider Time, LeftoverSweeper? Sweeper = null);
