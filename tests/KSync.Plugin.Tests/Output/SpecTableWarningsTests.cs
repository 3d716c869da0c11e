using KSync.Plugin.Output;

namespace KSync.Plugin.Tests.Output;

/// <summary>
/// A node that cannot chown is one warning line per spec in <c>get</c> (docs/architecture.md, "Files land usable"),
/// however many of the spec's containers carry it, and nothing for specs whose containers have none.
/// </summary>
public sealed class SpecTableWarningsTests
{
    [Fact]
    public void Warnings_OneLinePerSpec_WithTheCountWhenSeveralContainersWarn()
    {
        var view = new SpecListView
        {
            Watching = true,
            Items =
            [
                Spec("api", Service("api-1", "the node cannot give files in /app the owner 1000:1000 (Invalid argument)"), Service("api-2", "the node cannot give files in /app the owner 1000:1000 (Invalid argument)"), Service("api-3", string.Empty)),
                Spec("web", Service("web-1", string.Empty)),
                Spec("jobs", Service("jobs-1", "the node cannot give files in /work the owner 1000680000:0 (Operation not permitted)")),
            ],
        };

        var lines = SpecTable.Warnings(view);

        Assert.Equal(
            [
                "Warning: spec api: the node cannot give files in /app the owner 1000:1000 (Invalid argument) (2 containers)",
                "Warning: spec jobs: the node cannot give files in /work the owner 1000680000:0 (Operation not permitted)",
            ],
            lines);
    }

    [Fact]
    public void Warnings_NoneWhenNoContainerWarns() =>
        Assert.Empty(SpecTable.Warnings(new SpecListView { Items = [Spec("web", Service("web-1", string.Empty))] }));

    private static SpecView Spec(string name, params ServiceView[] services) => new() { Name = name, Services = [.. services] };

    private static ServiceView Service(string pod, string warning) => new() { Pod = pod, Status = "watching", Warning = warning };
}
