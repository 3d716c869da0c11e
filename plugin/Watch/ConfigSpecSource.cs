using System.Runtime.CompilerServices;
using KSync.Config.Sources;
using KSync.Config.Store;
using KSync.Engine.Syncing;

namespace KSync.Plugin.Watch;

/// <summary>The engine's <see cref="ISpecSource"/> over ksync.yaml, followed live by a <see cref="ConfigFollower"/>.</summary>
/// <param name="follower">Follows the config file.</param>
internal sealed class ConfigSpecSource(ConfigFollower follower) : ISpecSource
{
    /// <inheritdoc/>
    /// <exception cref="ConfigFileException">The config does not parse when watch starts.</exception>
    public async IAsyncEnumerable<ResolvedSpecs> FollowAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var config in follower.FollowAsync(cancellationToken))
        {
            yield return config;
        }
    }
}
