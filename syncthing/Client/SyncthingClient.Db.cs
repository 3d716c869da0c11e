using System.Text;
using System.Text.Json;

namespace KSync.Syncthing.Client;

/// <summary>Database endpoints (syncthing REST: "Database Endpoints", /rest/db/*).</summary>
public sealed partial class SyncthingClient
{
    /// <summary><c>GET /rest/db/status?folder=</c>: the folder's state and counts on this device.</summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    /// <exception cref="SyncthingException">The call failed (404 for an unknown folder).</exception>
    public Task<DbStatus> GetFolderStatusAsync(string folderId, CancellationToken cancellationToken)
        => GetJsonAsync("rest/db/status", Query(("folder", folderId)), SyncthingJsonContext.Default.DbStatus, cancellationToken);

    /// <summary>
    /// <c>GET /rest/db/completion?folder=&amp;device=</c>: how complete <paramref name="deviceId"/> is, from the index it
    /// announced; without a device, aggregated over the devices the folder is shared with.
    /// </summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="deviceId">The device, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The completion.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task<DbCompletion> GetCompletionAsync(string folderId, string? deviceId, CancellationToken cancellationToken)
        => GetJsonAsync("rest/db/completion", Query(("folder", folderId), ("device", deviceId)), SyncthingJsonContext.Default.DbCompletion, cancellationToken);

    /// <summary>
    /// <c>POST /rest/db/scan?folder=&amp;sub=…</c>: rescans <paramref name="subPaths"/> (relative, <c>/</c>-separated;
    /// several <c>sub</c> parameters are allowed), or the whole folder when none are given. Returns when the scan is
    /// committed; about 18 ms end to end for one small file
    /// (docs/architecture.md, "syncthing facts": explicit scans).
    /// </summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="subPaths">Paths to scan, or null/empty for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the scan is done.</returns>
    /// <exception cref="SyncthingException">The scan failed (syncthing answers 500 with its reason, e.g. a missing folder marker).</exception>
    public Task ScanAsync(string folderId, IReadOnlyCollection<string>? subPaths, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("folder=").Append(Uri.EscapeDataString(folderId));
        foreach (var sub in subPaths ?? [])
        {
            query.Append("&sub=").Append(Uri.EscapeDataString(sub));
        }

        return SendAsync(HttpMethod.Post, "rest/db/scan", query.ToString(), null, _options.ScanTimeout, retry: true, cancellationToken);
    }

    /// <summary>
    /// <c>POST /rest/db/override?folder=</c> (send-only folders): makes this device's state the global one, so other
    /// devices undo their changes.
    /// </summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the override was accepted.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task OverrideAsync(string folderId, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, "rest/db/override", Query(("folder", folderId)), null, _options.RequestTimeout, retry: true, cancellationToken);

    /// <summary>
    /// <c>POST /rest/db/revert?folder=</c> (receive-only folders): drops this device's local changes and restores the
    /// global state (added files are deleted, changed ones re-fetched; about 10 ms for one file).
    /// </summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the revert was accepted.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task RevertAsync(string folderId, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, "rest/db/revert", Query(("folder", folderId)), null, _options.RequestTimeout, retry: true, cancellationToken);

    /// <summary><c>GET /rest/db/ignores?folder=</c>: the folder's <c>.stignore</c> lines and their expansion.</summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ignores.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task<DbIgnores> GetIgnoresAsync(string folderId, CancellationToken cancellationToken)
        => GetJsonAsync("rest/db/ignores", Query(("folder", folderId)), SyncthingJsonContext.Default.DbIgnores, cancellationToken);

    /// <summary>
    /// <c>POST /rest/db/ignores?folder=</c>: replaces the folder's <c>.stignore</c> with <paramref name="lines"/> and
    /// applies them at once.
    /// </summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="lines">The ignore file's lines (syncthing ignore syntax, syncthing docs "Ignoring Files").</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the file was written.</returns>
    /// <exception cref="SyncthingException">The call failed (e.g. 500 for an invalid pattern).</exception>
    public Task SetIgnoresAsync(string folderId, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new DbIgnores { Ignore = [.. lines] }, SyncthingJsonContext.Default.DbIgnores);
        return SendAsync(HttpMethod.Post, "rest/db/ignores", Query(("folder", folderId)), body, _options.RequestTimeout, retry: true, cancellationToken);
    }
}
