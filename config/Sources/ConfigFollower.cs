using System.Runtime.CompilerServices;
using System.Threading.Channels;
using KSync.Config.Store;
using Microsoft.Extensions.Logging;

namespace KSync.Config.Sources;

/// <summary>
/// Follows the specs' two files while watch runs — the user's ksync.yaml and the project's spec file
/// (<see cref="ProjectFile"/>, located again at every read, so a link made or re-pointed later is picked up) — and
/// yields the specs both define (<see cref="SpecResolver"/>) now and again after every change of either. Changes are
/// noticed through file system watchers on both files' folders (writes replace files by rename) with a poll as a
/// safety net; a burst of events is coalesced. A file that no longer parses is logged and its last good config stays
/// in force (<see cref="LastGoodConfig"/>); only a user file that does not parse when watch starts is an error.
/// </summary>
public sealed partial class ConfigFollower
{
    private readonly ConfigStore _store;
    private readonly Func<ProjectFile?> _locateProject;
    private readonly ILogger _logger;
    private readonly TimeSpan _settle;
    private readonly TimeSpan _poll;

    /// <summary>Creates a follower.</summary>
    /// <param name="store">The user's config store.</param>
    /// <param name="logger">Logs parse errors, left-out specs and reloads.</param>
    /// <param name="settle">Quiet time after a change before it is read; default 100 ms.</param>
    /// <param name="poll">How often the files are checked regardless of events; default 2 s.</param>
    /// <param name="locateProject">Finds the project file; null = no project file.</param>
    public ConfigFollower(ConfigStore store, ILogger logger, TimeSpan? settle = null, TimeSpan? poll = null, Func<ProjectFile?>? locateProject = null)
    {
        _store = store;
        _logger = logger;
        _settle = settle ?? TimeSpan.FromMilliseconds(100);
        _poll = poll ?? TimeSpan.FromSeconds(2);
        _locateProject = locateProject ?? (() => null);
    }

    /// <summary>Yields the current specs, then the specs after each change, until cancelled.</summary>
    /// <param name="cancellationToken">Stops following.</param>
    /// <returns>The specs of both files, each time the config in force of either changed.</returns>
    /// <exception cref="ConfigFileException">The user's file does not parse when following starts.</exception>
    public async IAsyncEnumerable<ResolvedSpecs> FollowAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void Signal(object? sender, EventArgs e) => signals.Writer.TryWrite(true);
        var userFolder = Path.GetDirectoryName(_store.Path)!;
        Directory.CreateDirectory(userFolder);

        // The user's folder also holds the ksync home's project.yaml link, so making or changing the link is seen too.
        using var userWatcher = Watch(userFolder, Signal);
        FileSystemWatcher? projectWatcher = null;
        var user = new LastGoodConfig();
        var project = new LastGoodConfig();
        string? projectPath = null;
        IReadOnlyList<string> problems = [];
        var first = true;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var located = _locateProject()?.Path;
                var moved = located != projectPath;
                if (moved)
                {
                    // Another file: its specs replace the old file's, and the old file's last good config goes.
                    projectPath = located;
                    project = new LastGoodConfig();
                    projectWatcher?.Dispose();
                    projectWatcher = projectPath is not null && Path.GetDirectoryName(projectPath) is { } folder && folder != userFolder && Directory.Exists(folder)
                        ? Watch(folder, Signal)
                        : null;
                }

                var (userChange, userError) = user.Offer(ReadText(_store.Path), text => ConfigYaml.Read(text, _store.Path).Config);
                if (userError is not null)
                {
                    if (first)
                    {
                        throw userError;
                    }

                    Log.KeptLastGood(_logger, userError.Message);
                }

                var projectChange = ConfigChange.None;
                if (projectPath is not null)
                {
                    (projectChange, var projectError) = project.Offer(ReadText(projectPath), text => ConfigYaml.Read(text, projectPath).Config);
                    if (projectError is not null)
                    {
                        Log.KeptLastGood(_logger, projectError.Message);
                    }
                }

                if (first || moved || userChange == ConfigChange.Changed || projectChange == ConfigChange.Changed)
                {
                    var resolved = SpecResolver.Resolve(user.Config, _store.Path, projectPath is null ? null : project.Config, projectPath);
                    foreach (var problem in resolved.Problems.Except(problems))
                    {
                        Log.SpecLeftOut(_logger, problem);
                    }

                    problems = resolved.Problems;
                    if (!first)
                    {
                        Log.Reloaded(_logger, resolved.Specs.Count, projectPath ?? "none");
                    }

                    first = false;
                    yield return resolved;
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
        finally
        {
            projectWatcher?.Dispose();
        }
    }

    private static FileSystemWatcher Watch(string folder, Action<object?, EventArgs> signal)
    {
        var watcher = new FileSystemWatcher(folder)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        watcher.Changed += (s, e) => signal(s, e);
        watcher.Created += (s, e) => signal(s, e);
        watcher.Deleted += (s, e) => signal(s, e);
        watcher.Renamed += (s, e) => signal(s, e);
        watcher.Error += (s, e) => signal(s, e);
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
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
}
