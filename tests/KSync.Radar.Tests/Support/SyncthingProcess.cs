using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KSync.TestKit;

namespace KSync.Radar.Tests.Support;

/// <summary>A real syncthing (Debian package) on loopback with a known API key, stopped (tree killed) on dispose.</summary>
public sealed class SyncthingProcess : IAsyncDisposable
{
    private readonly string _syncthing;
    private Process? _process;

    private SyncthingProcess(string syncthing, string home, int apiPort, string apiKey)
    {
        _syncthing = syncthing;
        Home = home;
        ApiPort = apiPort;
        ApiKey = apiKey;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        Http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
    }

    public string Home { get; }

    public int ApiPort { get; }

    public string ApiKey { get; }

    public HttpClient Http { get; }

    public static async Task<SyncthingProcess> StartAsync(string home, CancellationToken cancellationToken)
    {
        var syncthing = Requires.Tool("syncthing", "syncthing");
        var process = new SyncthingProcess(syncthing, home, FreePort.Next(), "radar-test-key-" + Guid.NewGuid().ToString("N")[..12]);
        await process.StartAgainAsync(cancellationToken);
        return process;
    }

    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_syncthing) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "serve", "--home", Home, "--no-browser", "--no-restart", "--no-upgrade", $"--gui-address=http://127.0.0.1:{ApiPort}", $"--gui-apikey={ApiKey}" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["STNOUPGRADE"] = "1";
        info.Environment["STNODEFAULTFOLDER"] = "1";
        info.Environment["STHASHING"] = "minio";
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.TrueAsync(
            async () => (await Http.GetAsync(new Uri("rest/system/ping", UriKind.Relative), cancellationToken)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            "syncthing's API to answer",
            TimeSpan.FromMilliseconds(100));
    }

    public async Task<JsonObject> OptionsAsync(CancellationToken cancellationToken)
        => (await Http.GetFromJsonAsync<JsonObject>(new Uri("rest/config/options", UriKind.Relative), cancellationToken))!;

    public async Task<string> StartTimeAsync(CancellationToken cancellationToken)
        => (await Http.GetFromJsonAsync<JsonObject>(new Uri("rest/system/status", UriKind.Relative), cancellationToken))!["startTime"]!.GetValue<string>();

    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        try
        {
            using var response = await Http.PostAsync(new Uri("rest/system/shutdown", UriKind.Relative), null);
        }
        catch (HttpRequestException)
        {
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        // The monitor's child may linger a moment after the parent: wait until the API is gone.
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    await Http.GetAsync(new Uri("rest/system/ping", UriKind.Relative));
                    return false;
                }
                catch (HttpRequestException)
                {
                    return true;
                }
            },
            TimeSpan.FromSeconds(15),
            "syncthing to stop");
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null && !_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process?.Dispose();
        Http.Dispose();
    }
}
