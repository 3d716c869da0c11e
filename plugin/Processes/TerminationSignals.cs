using System.Runtime.InteropServices;

namespace KSync.Plugin.Processes;

/// <summary>
/// Turns SIGINT (Ctrl-C) and SIGTERM into cancellation of <see cref="Token"/>, so commands such as <c>watch</c>
/// tear down tunnels, folders and syncthing before the process exits. A second signal while that runs falls
/// through to the runtime's default handling, which ends the process at once.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;

    /// <summary>Registers the handlers; dispose to unregister them.</summary>
    public TerminationSignals()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Gets the token cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_cancellation.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        _cancellation.Cancel();
    }
}
