using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KSync.Lab.Kubelet;

/// <summary>
/// Follows <c>docker events</c> for the lab's containers (filtered by the lab label) and hands each container event
/// (start, die, destroy) to a callback, as the kubelet's PLEG follows the runtime.
/// </summary>
internal sealed class DockerEvents : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _reader;

    private DockerEvents(Process process, Task reader)
    {
        _process = process;
        _reader = reader;
    }

    /// <summary>Starts following events.</summary>
    /// <param name="docker">The docker CLI.</param>
    /// <param name="endpoint">The engine's endpoint (unix://...).</param>
    /// <param name="labelFilter">Label filter, e.g. lab.ksync.dev/lab=ID.</param>
    /// <param name="onEvent">Called with (action, container ID, attributes) for each event, on one thread in order.</param>
    /// <returns>The follower; dispose to stop.</returns>
    public static DockerEvents Start(string docker, string endpoint, string labelFilter, Action<string, string, JsonObject> onEvent)
    {
        var info = new ProcessStartInfo(docker)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-H", endpoint, "events", "--filter", "type=container", "--filter", "label=" + labelFilter, "--format", "{{json .}}" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("docker events did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is string line)
            {
                try
                {
                    if (JsonNode.Parse(line) is JsonObject e && (string?)e["Action"] is string action && (string?)e["id"] is string id)
                    {
                        onEvent(action, id, e["Actor"]?["Attributes"] as JsonObject ?? []);
                    }
                }
                catch (System.Text.Json.JsonException)
                {
                }
            }
        });
        return new DockerEvents(process, reader);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
    }
}
