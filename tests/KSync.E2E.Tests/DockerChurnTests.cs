namespace KSync.E2E.Tests;

/// <summary>The churn suite on the lab's Docker node.</summary>
/// <param name="fixture">The lab.</param>
/// <param name="sync">The Docker node's sync.</param>
[Collection(E2EGroup.Name)]
public sealed class DockerChurnTests(E2EFixture fixture, DockerChurnSync sync) : ChurnTests(fixture, sync), IClassFixture<DockerChurnSync>
{
    private ChurnSync Sync => sync;

    [Fact]
    public Task Churn_LaptopAsleep_WatchStoppedFor60Seconds_Resumes()
        => RunAsync("asleep", expectReconnecting: false, expectConflict: true, async scenario =>
        {
            await Sync.Session!.SignalWatchAsync("STOP");
            try
            {
                await scenario.ChangeBothSidesAsync();
                await Task.Delay(TimeSpan.FromSeconds(60), Token);
            }
            finally
            {
                await Sync.Session!.SignalWatchAsync("CONT");
            }
        });
}
