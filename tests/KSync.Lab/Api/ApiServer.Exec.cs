using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <content>
/// <c>pods/exec</c> over WebSocket, the remote command protocol kubectl 1.29+ speaks (KEP-4006, subprotocols
/// <c>v5.channel.k8s.io</c> and <c>v4.channel.k8s.io</c>): every binary message starts with its stream (0 stdin,
/// 1 stdout, 2 stderr, 3 error, 4 resize; v5 adds 255 = the client closed the stream named by the next byte). When
/// the command ends, the error stream carries a <c>Status</c> — Success, or Failure with reason NonZeroExitCode and
/// the exit code as a cause — and the server closes the socket. The command runs through the node's engine
/// (<c>docker exec</c>, <c>ctr tasks exec</c>); with tty, under <c>script</c> for a terminal.
/// </content>
internal sealed partial class ApiServer
{
    private static readonly string[] s_execProtocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    private async Task ExecAsync(HttpContext context, ResourcePath target)
    {
        var pod = _store.Get(ResourceKind.Pods, target.Namespace, target.Name!) ?? throw ApiException.NotFound(ResourceKind.Pods, target.Name!);
        var query = context.Request.Query;
        var command = query["command"].Select(c => c ?? string.Empty).ToList();
        if (command.Count == 0)
        {
            throw ApiException.BadRequest("you must specify at least 1 command");
        }

        var container = ContainerParameter(pod, query["container"]);
        var stdin = IsTrue(query["stdin"]);
        var tty = IsTrue(query["tty"]);
        if ((string?)pod["status"]?["phase"] != "Running")
        {
            throw ApiException.BadRequest($"unable to upgrade connection: pod {target.Name} is not running");
        }

        // The container first, as the kubelet checks it: a container between two runs is "not found" for every protocol.
        var (fileName, arguments) = _pods.ExecCommand(pod, container, command, tty);
        var protocol = s_execProtocols.FirstOrDefault(context.WebSockets.WebSocketRequestedProtocols.Contains);
        if (!context.WebSockets.IsWebSocketRequest || protocol is null)
        {
            throw ApiException.BadRequest($"the lab serves exec only over WebSocket with the subprotocol {string.Join(" or ", s_execProtocols)} (kubectl 1.29+), not SPDY");
        }

        if (tty)
        {
            // docker and ctr want a terminal for -t: script(1) gives them one and relays it.
            arguments = ["-q", "-e", "-c", string.Join(' ', new[] { fileName }.Concat(arguments).Select(ShellQuote)), "/dev/null"];
            fileName = "script";
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol });
        using var sendLock = new SemaphoreSlim(1, 1);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var info = new ProcessStartInfo(fileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
        Log($"exec {target.Namespace}/{target.Name}/{container}: {string.Join(' ', command)}");
        try
        {
            if (!stdin)
            {
                process.StandardInput.Close();
            }

            var input = stdin ? PumpStdinAsync(socket, process, protocol == s_execProtocols[0], done.Token) : Task.CompletedTask;
            var output = Task.WhenAll(
                PumpToClientAsync(socket, sendLock, 1, process.StandardOutput.BaseStream, done.Token),
                PumpToClientAsync(socket, sendLock, 2, process.StandardError.BaseStream, done.Token));
            await process.WaitForExitAsync(done.Token);
            await output;
            var status = process.ExitCode == 0
                ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
                : new JsonObject
                {
                    ["metadata"] = new JsonObject(),
                    ["status"] = "Failure",
                    ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {process.ExitCode}",
                    ["reason"] = "NonZeroExitCode",
                    ["details"] = new JsonObject
                    {
                        ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = process.ExitCode.ToString(CultureInfo.InvariantCulture) }),
                    },
                };
            await SendAsync(socket, sendLock, 3, Encoding.UTF8.GetBytes(status.ToJsonString()), done.Token);
            await CloseAsync(socket, sendLock);

            // Let the client read the status and answer the close before the connection goes.
            await Task.WhenAny(input, Task.Delay(TimeSpan.FromSeconds(2), done.Token));
            await done.CancelAsync();
            await input.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task PumpStdinAsync(WebSocket socket, Process process, bool v5, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int? channel = null;
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var offset = 0;
                if (channel is null)
                {
                    if (result.Count == 0)
                    {
                        continue;
                    }

                    channel = buffer[0];
                    offset = 1;
                }

                if (channel == 0 && result.Count > offset)
                {
                    await process.StandardInput.BaseStream.WriteAsync(buffer.AsMemory(offset, result.Count - offset), token);
                    await process.StandardInput.BaseStream.FlushAsync(token);
                }
                else if (v5 && channel == 255 && result.Count > offset && buffer[offset] == 0)
                {
                    // v5: the client closed stdin.
                    process.StandardInput.Close();
                }

                if (result.EndOfMessage)
                {
                    channel = null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            try
            {
                process.StandardInput.Close();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
            }
        }
    }

    private static string ContainerParameter(JsonObject pod, string? requested)
    {
        var names = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(c => (string)c["name"]!).ToList();
        if (string.IsNullOrEmpty(requested))
        {
            return names.Count == 1
                ? names[0]
                : throw ApiException.BadRequest($"a container name must be specified for pod {ObjectStore.NameOf(pod)}, choose one of: [{string.Join(' ', names)}]");
        }

        return names.Contains(requested)
            ? requested
            : throw ApiException.BadRequest($"container {requested} is not valid for pod {ObjectStore.NameOf(pod)}");
    }

    private static bool IsTrue(string? value) => value is "1" or "true" or "True";

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
