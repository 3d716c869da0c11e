using System.Runtime.CompilerServices;
using System.Threading.Channels;
using KSync.Config.Model;
using Microsoft.Extensions.Logging;

namespace KSync.Config.Store;

/// <summary>
/// Follows ksync.yaml while watch runs: yields the config now and again after every change of its contents.
/// Changes are noticed through a file system watcher on the folder (writes replace the file by rename) with a poll
/// as a safety net; a burst of events is coalesced. A file that no longer parses is logged and skipped, so the
/// last good config stays in force.
/// </summary>
public sealed partial class ConfigFollower
{
    private readonly ConfigStore _store;
    private readonly ILogger _logger;
    private readonly TimeSpan _settle;
    private readonly TimeSpan _poll;

    /// <summary>Creates a follower.</summary>
    /// <param name="store">The config store to read.</param>
    /// <param name="logger">Logs parse errors and reloads.</param>
    /// <param name="settle">Quiet time after a change before it is read; default 100 ms.</param>
    /// <param name="poll">How often the file is checked regardless of events; default 2 s.</param>
    public ConfigFollower(ConfigStore store, ILogger logger, TimeSpan? settle = null, TimeSpan? poll = null)
    {
        _store = store;
        _logger = logger;
        _settle = settle ?? TimeSpan.FromMilliseconds(100);
        _poll = poll ?? TimeSpan.FromSeconds(2);
    }

    /// <summary>Yields the current config, then each changed config, until cancelled.</summary>
    /// <param name="cancellationToken">Stops following.</param>
    /// <returns>Configs whose text differs from the previous one that parsed.</returns>
    public async IAsyncEnumerable<KsyncConfig> FollowAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var folder = Path.GetDirectoryName(_store.Path)!;
        Directory.CreateDirectory(folder);
        using var watcher = new FileSystemWatcher(folder, Path.GetFileName(_store.Path))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        void Signal(object? sender, EventArgs e) => signals.Writer.TryWrite(true);
        watcher.Changed += Signal;
        watcher.Created += Signal;
        watcher.Deleted += Signal;
        watcher.Renamed += Signal;
        watcher.Error += Signal;
        watcher.EnableRaisingEvents = true;

        string? lastText = null;
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var text = ReadText();
            if (text != lastText)
            {
                var config = await TryLoadAsync(first, cancellationToken);
                if (config is not null)
                {
                    lastText = text;
                    first = false;
                    yield return config;
                }
                else
                {
                    // Remember the bad text too, so it is reported once, not at every poll.
                    lastText = text;
                }
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(_poll);
            try
            {
                await signals.Reader.ReadAsync(wait.Token);
                await Task.Delay(_settle, cancellationToken);
                signals.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Poll interval passed without an event.
            }
        }
    }

    private string? ReadText()
    {
        try
        {
            return File.ReadAllText(_store.Path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private async Task<KsyncConfig?> TryLoadAsync(bool first, CancellationToken cancellationToken)
    {
        try
        {
            var config = await _store.LoadAsync(cancellationToken);
            if (!first)
            {
                Log.Reloaded(_logger, _store.Path, config.Spec.Count);
            }

            return config;
        }
        catch (ConfigFileException ex)
        {
            if (first)
            {
                throw;
            }

            Log.KeptLastGood(_logger, ex.Message);
            return null;
        }
    }
}
