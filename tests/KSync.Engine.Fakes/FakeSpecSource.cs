using System.Runtime.CompilerServices;
using System.Threading.Channels;
using KSync.Config.Model;
using KSync.Config.Sources;
using KSync.Engine.Syncing;

namespace KSync.Engine.Fakes;

/// <summary>Specs a test publishes, as the engine's spec source.</summary>
public sealed class FakeSpecSource : ISpecSource
{
    private readonly Channel<IReadOnlyList<SpecDetails>> _specs = Channel.CreateUnbounded<IReadOnlyList<SpecDetails>>();

    public void Publish(params SpecDetails[] specs) => _specs.Writer.TryWrite(specs);

    public async IAsyncEnumerable<ResolvedSpecs> FollowAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var specs in _specs.Reader.ReadAllAsync(cancellationToken))
        {
            yield return new ResolvedSpecs([.. specs.Select(s => new ResolvedSpec(s, new SpecSource(SpecSourceKind.User, "/fake/ksync.yaml")))], []);
        }
    }
}
