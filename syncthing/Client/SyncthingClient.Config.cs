namespace KSync.Syncthing.Client;

/// <summary>
/// Config endpoints (syncthing REST: "Config Endpoints", /rest/config/*, since 1.12). Every write applies at once;
/// none needs a syncthing restart (ksync never restarts syncthing to apply a folder change).
/// </summary>
public sealed partial class SyncthingClient
{
    /// <summary><c>GET /rest/config/devices</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every configured device (this one included).</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task<List<DeviceConfiguration>> GetDevicesAsync(CancellationToken cancellationToken)
        => GetJsonAsync("rest/config/devices", null, SyncthingJsonContext.Default.ListDeviceConfiguration, cancellationToken);

    /// <summary><c>GET /rest/config/devices/{id}</c>.</summary>
    /// <param name="deviceId">The device ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The device, or null when it is not configured (404).</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task<DeviceConfiguration?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken)
        => GetJsonOrNullAsync("rest/config/devices/" + Uri.EscapeDataString(deviceId), SyncthingJsonContext.Default.DeviceConfiguration, cancellationToken);

    /// <summary><c>POST /rest/config/devices</c>: adds the device, or replaces it when the ID exists. Missing fields come from <c>defaults/device</c>.</summary>
    /// <param name="device">The device.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the config was saved; syncthing dials the device at once.</returns>
    /// <exception cref="SyncthingException">The call failed (e.g. 400 for an invalid device ID).</exception>
    public Task AddDeviceAsync(DeviceConfiguration device, CancellationToken cancellationToken)
        => SendJsonAsync(HttpMethod.Post, "rest/config/devices", device, SyncthingJsonContext.Default.DeviceConfiguration, cancellationToken);

    /// <summary><c>PATCH /rest/config/devices/{id}</c>: changes only the non-null properties of <paramref name="patch"/>.</summary>
    /// <param name="deviceId">The device ID.</param>
    /// <param name="patch">The properties to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the config was saved.</returns>
    /// <exception cref="SyncthingException">The call failed (404 when the device is unknown).</exception>
    public Task PatchDeviceAsync(string deviceId, DeviceConfiguration patch, CancellationToken cancellationToken)
        => SendJsonAsync(HttpMethod.Patch, "rest/config/devices/" + Uri.EscapeDataString(deviceId), patch, SyncthingJsonContext.Default.DeviceConfiguration, cancellationToken);

    /// <summary><c>DELETE /rest/config/devices/{id}</c>; a device that is not configured is not an error.</summary>
    /// <param name="deviceId">The device ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the config was saved.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task RemoveDeviceAsync(string deviceId, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Delete, "rest/config/devices/" + Uri.EscapeDataString(deviceId), null, null, _options.RequestTimeout, retry: true, cancellationToken, allowNotFound: true);

    /// <summary><c>GET /rest/config/folders</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every configured folder.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task<List<FolderConfiguration>> GetFoldersAsync(CancellationToken cancellationToken)
        => GetJsonAsync("rest/config/folders", null, SyncthingJsonContext.Default.ListFolderConfiguration, cancellationToken);

    /// <summary><c>GET /rest/config/folders/{id}</c>.</summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The folder, or null when it is not configured (404).</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task<FolderConfiguration?> GetFolderAsync(string folderId, CancellationToken cancellationToken)
        => GetJsonOrNullAsync("rest/config/folders/" + Uri.EscapeDataString(folderId), SyncthingJsonContext.Default.FolderConfiguration, cancellationToken);

    /// <summary>
    /// <c>POST /rest/config/folders</c>: adds the folder, or replaces it when the ID exists. Missing fields come from
    /// <c>defaults/folder</c>; syncthing creates the path and its <c>.stfolder</c> marker and starts scanning at once.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the config was saved.</returns>
    /// <exception cref="SyncthingException">The call failed (e.g. 400 for a bad field).</exception>
    public Task AddFolderAsync(FolderConfiguration folder, CancellationToken cancellationToken)
        => SendJsonAsync(HttpMethod.Post, "rest/config/folders", folder, SyncthingJsonContext.Default.FolderConfiguration, cancellationToken);

    /// <summary>
    /// <c>PATCH /rest/config/folders/{id}</c>: changes only the non-null properties of <paramref name="patch"/>. The
    /// folder restarts and rescans (about 0.3 s), syncthing does not.
    /// </summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="patch">The properties to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the config was saved.</returns>
    /// <exception cref="SyncthingException">The call failed (404 when the folder is unknown).</exception>
    public Task PatchFolderAsync(string folderId, FolderConfiguration patch, CancellationToken cancellationToken)
        => SendJsonAsync(HttpMethod.Patch, "rest/config/folders/" + Uri.EscapeDataString(folderId), patch, SyncthingJsonContext.Default.FolderConfiguration, cancellationToken);

    /// <summary><c>DELETE /rest/config/folders/{id}</c>; the files stay on disk; an unknown folder is not an error.</summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the config was saved.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task RemoveFolderAsync(string folderId, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Delete, "rest/config/folders/" + Uri.EscapeDataString(folderId), null, null, _options.RequestTimeout, retry: true, cancellationToken, allowNotFound: true);

    /// <summary><c>GET /rest/config/options</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The options ksync knows about.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task<OptionsConfiguration> GetOptionsAsync(CancellationToken cancellationToken)
        => GetJsonAsync("rest/config/options", null, SyncthingJsonContext.Default.OptionsConfiguration, cancellationToken);

    /// <summary><c>PATCH /rest/config/options</c>: changes only the non-null properties (takes about 5 ms, no restart).</summary>
    /// <param name="patch">The options to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the config was saved.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task PatchOptionsAsync(OptionsConfiguration patch, CancellationToken cancellationToken)
        => SendJsonAsync(HttpMethod.Patch, "rest/config/options", patch, SyncthingJsonContext.Default.OptionsConfiguration, cancellationToken);
}
