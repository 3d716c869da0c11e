using System.CommandLine;
using System.Net;

namespace KSync.Radar;

/// <summary>radar's command line: <c>radar [--bind ADDRESS] [--port PORT]</c>.</summary>
internal sealed class RadarCommand : RootCommand
{
    private readonly Option<string> _bind = new("--bind")
    {
        Description = "Address to listen on",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    private readonly Option<int> _port = new("--port", "-p")
    {
        Description = "gRPC port to listen on (0 = any free port)",
        DefaultValueFactory = _ => RadarOptions.DefaultPort,
    };

    /// <summary>Creates the command; <paramref name="run"/> starts the server with the parsed options.</summary>
    /// <param name="run">Runs radar until the token is cancelled; returns the exit code.</param>
    public RadarCommand(Func<RadarOptions, CancellationToken, Task<int>> run)
        : base("radar: the ksync node agent. Tells kubectl-ksync where container files live on this node and reloads containers.")
    {
        _bind.Validators.Add(result =>
        {
            if (!IPAddress.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError("--bind must be an IP address, e.g. 127.0.0.1.");
            }
        });
        _port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError("--port must be between 0 and 65535.");
            }
        });
        Options.Add(_bind);
        Options.Add(_port);
        SetAction((parseResult, cancellationToken) => run(
            new RadarOptions { Bind = parseResult.GetRequiredValue(_bind), Port = parseResult.GetValue(_port) },
            cancellationToken));
    }
}
