using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using KSync.Config.Model;
using KSync.Engine.Syncing;

namespace KSync.Engine.Fakes;

public sealed class FakeContainerSource : IContainerSource
{
    private readonly ConcurrentDictionary<string, Channel<IReadOnlyList<RemoteContainer>>> _channels = new();

    public void Publish(string specName, params RemoteContainer[] containers)
        => Channel(specName).Writer.TryWrite(containers);

    public async IAsyncEnumerable<IReadOnlyList<RemoteContainer>> WatchAsync(SpecDetails spec, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var snapshot in Channel(spec.Name).Reader.ReadAllAsync(cancellationToken))
        {
            yield return snapshot;
        }
    }

    private Channel<IReadOnlyList<RemoteContainer>> Channel(string name) => _channels.GetOrAdd(name, _ => System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyList<RemoteContainer>>());
}
