using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Net.Client;
using KSync.Proto.Radar.V1;
using KSync.Radar.Tests.Support;
using KSync.TestKit;

namespace KSync.Radar.Tests.Service;

/// <summary>The published native-AOT radar, run as a plain host process with its flags, as the lab runs it.</summary>
[Collection("docker")]
public sealed class PublishedBinaryTests(DockerFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishedRadar_ServesGetBasePathAndHealth_LogsJsonLines_StopsOnSigterm()
    {
        var radar = await Binaries.RadarAsync(Ct);
        var port = FreePort.Next();
        var healthPort = FreePort.Next();
        var id = await fixture.Engine.RunContainerAsync($"bin-{Guid.NewGuid():N}"[..12]);
        var merged = await fixture.Engine.CliOkAsync("inspect", "-f", "{{.GraphDriver.Data.MergedDir}}", id);
        var info = new ProcessStartInfo(radar) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--health-bind", "127.0.0.1",
            "--health-port", healthPort.ToString(CultureInfo.InvariantCulture),
            "--docker-socket", fixture.Engine.SocketPath,
            "--containerd-socket", "/nonexistent/containerd.sock",
            "--crio-socket", "/nonexistent/crio.sock",
            "--host-root", string.Empty,
            "--syncthing-api", $"http://127.0.0.1:{FreePort.Next()}",
            "--syncthing-poll-interval", "60",
        })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["KSYNC_SYNCTHING_API_KEY"] = "published-test-key-01234";
        info.Environment["NODE_NAME"] = "lab-node-1";
        var stdout = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var healthChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{healthPort}");
            var health = new Grpc.Health.V1.Health.HealthClient(healthChannel);
            await Eventually.TrueAsync(
                async () => (await health.CheckAsync(new HealthCheckRequest { Service = "radar" }, cancellationToken: Ct)).Status == HealthCheckResponse.Types.ServingStatus.Serving,
                TimeSpan.FromSeconds(20),
                "the published radar to serve health");
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var client = new Proto.Radar.V1.Radar.RadarClient(channel);

            var reply = await client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Docker(id), RemotePath = "/app" }, cancellationToken: Ct);
            var runtimes = await client.GetRuntimeInfoAsync(new GetRuntimeInfoRequest(), cancellationToken: Ct);
            var syncthing = await client.GetSyncthingInfoAsync(new GetSyncthingInfoRequest(), cancellationToken: Ct);

            // HashFolder streams the container's folder; a link pointing out of it is a link, never followed.
            await fixture.Engine.CliOkAsync("exec", id, "sh", "-c", "mkdir -p /app/sub && printf abc > /app/sub/a.txt && ln -s /etc/passwd /app/link");
            var hashed = new List<HashFolderEntry>();
            using (var call = client.HashFolder(new HashFolderRequest { ContainerId = Ids.Docker(id), RemotePath = "/app" }, cancellationToken: Ct))
            {
                while (await call.ResponseStream.MoveNext(Ct))
                {
                    hashed.Add(call.ResponseStream.Current);
                }
            }

            Assert.Equal(
                [
                    new HashFolderEntry { Path = "link", Type = HashEntryType.Symlink, LinkTarget = "/etc/passwd" },
                    new HashFolderEntry { Path = "sub", Type = HashEntryType.Directory },
                    new HashFolderEntry { Path = "sub/a.txt", Type = HashEntryType.File, Size = 3, Sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
                ],
                hashed);
            Assert.Equal(merged + "/app", reply.NodePath);
            Assert.Equal("docker", reply.Backend);
            Assert.Equal("lab-node-1", runtimes.NodeName);
            Assert.True(runtimes.Backends.Single(b => b.Name == "docker").Available);
            Assert.Equal("published-test-key-01234", syncthing.ApiKey);
        }
        finally
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], cancellationToken: CancellationToken.None);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(0, process.ExitCode);
        string[] lines;
        lock (stdout)
        {
            lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            Assert.True(document.RootElement.TryGetProperty("LogLevel", out _), line);
        }

        Assert.Contains(lines, l => l.Contains("\"EventId\":7200", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--port", "70000")]
    [InlineData("--bind", "localhost")]
    [InlineData("--health-port", "-2")]
    [InlineData("--syncthing-api", "ftp://x")]
    [InlineData("--runtime-timeout", "0")]
    [InlineData("--no-such-flag", "1")]
    public async Task PublishedRadar_BadFlag_ExitsNonZeroWithMessage(string flag, string value)
    {
        var radar = await Binaries.RadarAsync(Ct);

        var result = await ProcessRunner.RunAsync(radar, [flag, value], timeout: TimeSpan.FromSeconds(30), cancellationToken: Ct);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(flag.TrimStart('-').Split('-')[0], result.Stderr + result.Stdout, StringComparison.Ordinal);
    }
}
