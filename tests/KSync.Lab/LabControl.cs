using System.Globalization;
using System.Net.Sockets;

namespace KSync.Lab;

/// <summary>
/// The control socket of a lab started with <c>ksync-lab up</c> (<c>STATE/control.sock</c>, HTTP over a unix socket,
/// root only by its mode): <c>ksync-lab fault …</c> posts faults to it, and the lab process injects them
/// (<see cref="LabCluster"/>'s fault methods). Routes: <c>POST /faults/api-down?seconds=N</c>,
/// <c>/faults/kill-agent?node=X</c>, <c>/faults/cut-forwards?node=X</c>, <c>/faults/reboot?node=X</c>; the answer is
/// one line of text, 400 with the reason for bad input.
/// </summary>
internal sealed class LabControl : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LabControl(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Starts serving the control socket of <paramref name="lab"/>.</summary>
    /// <param name="lab">The running lab.</param>
    /// <param name="socketPath">The socket's path.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The server.</returns>
    public static async Task<LabControl> StartAsync(LabCluster lab, string socketPath, CancellationToken cancellationToken)
    {
        File.Delete(socketPath);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath));
        var app = builder.Build();
        app.MapPost("/faults/{fault}", async (string fault, HttpRequest request) =>
        {
            var node = request.Query["node"].ToString();
            if (fault != "api-down" && !lab.Nodes.Any(n => n.Name == node))
            {
                return Results.BadRequest($"unknown node '{node}'; the lab's nodes: {string.Join(", ", lab.Nodes.Select(n => n.Name))}\n");
            }

            try
            {
                switch (fault)
                {
                    case "api-down":
                        if (!int.TryParse(request.Query["seconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 3600)
                        {
                            return Results.BadRequest("--seconds must be a whole number from 1 to 3600\n");
                        }

                        await lab.StopApiServerAsync();
                        _ = Task.Delay(TimeSpan.FromSeconds(seconds)).ContinueWith(_ => lab.StartApiServerAsync(), TaskScheduler.Default);
                        return Results.Text($"API server down for {seconds} s\n");
                    case "kill-agent":
                        return Results.Text($"killed the containers of {await lab.KillAgentAsync(node)} on {node}; the kubelet restarts them\n");
                    case "cut-forwards":
                        return Results.Text($"cut {lab.CutPortForwards(node)} port-forward stream(s) to pods on {node}\n");
                    case "reboot":
                        await lab.RebootNodeAsync(node);
                        return Results.Text($"rebooted {node}: its pods get new sandboxes and containers\n");
                    default:
                        return Results.BadRequest($"unknown fault '{fault}' (api-down, kill-agent, cut-forwards, reboot)\n");
                }
            }
            catch (InvalidOperationException ex)
            {
                return Results.BadRequest(ex.Message + "\n");
            }
        });
        await app.StartAsync(cancellationToken);
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new LabControl(app);
    }

    /// <summary>Posts a fault to a running lab's control socket.</summary>
    /// <param name="socketPath">The socket.</param>
    /// <param name="pathAndQuery">e.g. <c>/faults/reboot?node=lab-node-1</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the lab accepted it, and its answer.</returns>
    public static async Task<(bool Ok, string Text)> PostAsync(string socketPath, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { Timeout = TimeSpan.FromMinutes(2) };
        using var response = await http.PostAsync(new Uri("http://lab" + pathAndQuery), null, cancellationToken);
        return (response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
