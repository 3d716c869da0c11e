using KSync.Config.Model;
using KSync.Config.Sources;
using KSync.Engine.Status;
using Microsoft.Extensions.Logging;

namespace KSync.Engine.Syncing;

/// <summary>
/// The specs watch runs (the original's SpecList): the current specs of ksync.yaml and the project's spec file, as
/// the spec source (<see cref="ISpecSource"/>) yields them, applying a spec added, deleted or EDITED live (an edited spec is stopped and started
/// again with its new details; the original ignored edits until restart). A file that stops parsing is logged and
/// its last good specs kept.
/// </summary>
public sealed partial class SpecList : IAsyncDisposable
{
    private readonly ISpecSource _source;
    private readonly Func<SpecDetails, Spec> _createSpec;
    private readonly StatusBoard _board;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private List<Spec> _specs = [];
    private Dictionary<string, SpecSource> _sources = new(StringComparer.Ordinal);

    /// <summary>Creates the list; nothing runs until <see cref="RunAsync"/>.</summary>
    /// <param name="source">Follows the specs.</param>
    /// <param name="createSpec">Makes a Spec (not started) for details.</param>
    /// <param name="board">Notified when specs come and go.</param>
    /// <param name="logger">Logger.</param>
    public SpecList(ISpecSource source, Func<SpecDetails, Spec> createSpec, StatusBoard board, ILogger logger)
    {
        _source = source;
        _createSpec = createSpec;
        _board = board;
        _logger = logger;
    }

    /// <summary>Raised after the specs were applied (the stopped ones have stopped), with the specs now running.</summary>
    public event EventHandler<IReadOnlyList<SpecDetails>>? Applied;

    /// <summary>Gets the running specs: the user's in ksync.yaml order, then the project's.</summary>
    public IReadOnlyList<Spec> Items => Volatile.Read(ref _specs);

    /// <summary>Tells which file a running spec comes from.</summary>
    /// <param name="name">The spec's name.</param>
    /// <returns>Its file, or null when unknown (specs applied without sources).</returns>
    public SpecSource? SourceOf(string name) => Volatile.Read(ref _sources).GetValueOrDefault(name);

    /// <summary>Applies the config and every later change to it until cancelled.</summary>
    /// <param name="cancellationToken">Stops following (the specs keep running until disposed).</param>
    /// <returns>A task that completes when cancelled.</returns>
    /// <exception cref="Exception">What the source throws when it cannot start (e.g. the config does not parse).</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var resolved in _source.FollowAsync(cancellationToken))
            {
                Volatile.Write(ref _sources, resolved.Specs.ToDictionary(s => s.Details.Name, s => s.Source, StringComparer.Ordinal));
                await ApplyAsync(resolved.Details);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Makes the running specs match <paramref name="desired"/>.</summary>
    /// <param name="desired">The specs, in order, with absolute local paths.</param>
    /// <returns>A task that completes when removed and edited specs have stopped and new ones started.</returns>
    public async Task ApplyAsync(IReadOnlyList<SpecDetails> desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        await _gate.WaitAsync();
        try
        {
            var current = _specs.ToDictionary(s => s.Details.Name, StringComparer.Ordinal);
            var next = new List<Spec>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var doomed = new List<Spec>();
            var started = new List<Spec>();
            foreach (var details in desired)
            {
                if (!seen.Add(details.Name))
                {
                    Log.DuplicateName(_logger, details.Name);
                    continue;
                }

                if (current.TryGetValue(details.Name, out var running) && running.Details.HasSameDetails(details))
                {
                    next.Add(running);
                    continue;
                }

                if (running is not null)
                {
                    doomed.Add(running);
                    Log.Edited(_logger, details.Name);
                }
                else
                {
                    Log.Added(_logger, details.Name);
                }

                var spec = _createSpec(details.Clone());
                next.Add(spec);
                started.Add(spec);
            }

            foreach (var removed in current.Values.Where(s => !seen.Contains(s.Details.Name)))
            {
                doomed.Add(removed);
                Log.Removed(_logger, removed.Details.Name);
            }

            // An edited spec's old syncs stop before the new ones start: they may share a node folder.
            await Task.WhenAll(doomed.Select(s => s.DisposeAsync().AsTask()));
            foreach (var spec in started)
            {
                spec.Start();
            }

            Volatile.Write(ref _specs, next);
            _board.NotifyChanged();
            Applied?.Invoke(this, [.. next.Select(s => s.Details)]);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops every spec.</summary>
    /// <returns>A task that completes when all have stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await Task.WhenAll(_specs.Select(s => s.DisposeAsync().AsTask()));
            _specs = [];
        }
        finally
        {
            _gate.Release();
        }
    }
}
