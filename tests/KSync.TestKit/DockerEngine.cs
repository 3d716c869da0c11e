using System.Diagnostics;
using System.Net.Sockets;

namespace KSync.TestKit;

/// <summary>
/// A private Docker engine (Debian <c>docker.io</c>): its own data root, exec root and unix socket under a temp
/// folder, <c>--bridge=none --iptables=false</c>, so it runs beside any other engine and leaves nothing behind.
/// Started by <see cref="StartAsync(CancellationToken)"/>, stopped (containers removed, daemon stopped, folder deleted) by
/// <see cref="DisposeAsync"/>. Also imports the busybox image every test uses, <see cref="BusyboxImage"/>.
/// </summary>
public sealed class DockerEngine : IAsyncDisposable
{
    /// <summary>The locally built image: a static busybox rootfs (see <see cref="BusyboxRootfs"/>).</summary>
    public const string BusyboxImage = "ksync-test/busybox:latest";

    private readonly Process _daemon;
    private readonly string _docker;
    private bool _disposed;

    private DockerEngine(string root, Process daemon, string docker, NodeFilesystem? node)
    {
        RootDirectory = root;
        _daemon = daemon;
        _docker = docker;
        Node = node;
    }

    /// <summary>Gets the folder holding the engine's data root, exec root, socket and log.</summary>
    public string RootDirectory { get; }

    /// <summary>Gets the lab node whose engine this is, or null for a standalone engine.</summary>
    public NodeFilesystem? Node { get; }

    /// <summary>Gets the engine's unix socket path (on the host).</summary>
    public string SocketPath => Node?.HostPath(NodeSocket) ?? Path.Combine(RootDirectory, "docker.sock");

    /// <summary>Gets the daemon's process ID.</summary>
    public int Pid => _daemon.Id;

    /// <summary>Gets the engine's endpoint for <c>DOCKER_HOST</c> / <c>docker -H</c>: <c>unix:///...</c>.</summary>
    public string Endpoint => "unix://" + SocketPath;

    /// <summary>Gets the engine's data root on the host (what <c>/var/lib/docker</c> is for the system engine).</summary>
    public string DataRoot => Node?.HostPath("/var/lib/docker") ?? Path.Combine(RootDirectory, "data");

    /// <summary>Gets the daemon's log file.</summary>
    public string LogFile => Path.Combine(RootDirectory, "dockerd.log");

    /// <summary>
    /// Starts a private engine and waits until it answers <c>GET /_ping</c>; imports <see cref="BusyboxImage"/>.
    /// Skips the test locally (fails it under CI=true) when dockerd, the docker CLI or root is missing.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running engine.</returns>
    /// <exception cref="TimeoutException">The engine did not answer within 60 s; the message has its log.</exception>
    public static Task<DockerEngine> StartAsync(CancellationToken cancellationToken = default)
        => StartAsync(null, cancellationToken);

    /// <summary>
    /// Starts the engine of a lab node: in the node's mount namespace (see <see cref="NodeFilesystem"/>), with the
    /// data root at <c>/var/lib/docker</c>, exec root <c>/run/docker</c> and socket <c>/run/docker.sock</c> as the node
    /// sees them, so container paths the engine reports are node paths, as on a real node.
    /// </summary>
    /// <param name="node">The node, or null for a standalone engine under a temp folder.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running engine.</returns>
    public static async Task<DockerEngine> StartAsync(NodeFilesystem? node, CancellationToken cancellationToken = default)
    {
        Requires.Root();
        var dockerd = Requires.Tool("dockerd", "docker.io");
        var docker = Requires.Tool("docker", "docker.io");
        Requires.Tool(BusyboxRootfs.BusyboxPath, "busybox-static");

        // Short path: unix socket paths are limited to 108 bytes.
        var root = node?.Root ?? Path.Combine("/tmp", $"kd-{Guid.NewGuid():N}"[..11]);
        Directory.CreateDirectory(root);
        string[] args = node is not null
            ? ["--data-root", "/var/lib/docker", "--exec-root", "/run/docker", "-H", "unix://" + NodeSocket, "--pidfile", "/run/docker.pid",
               "--bridge=none", "--iptables=false", "--ip-masq=false", "--log-level", "warn"]
            : [
            "--data-root", Path.Combine(root, "data"),
            "--exec-root", Path.Combine(root, "exec"),
            "-H", "unix://" + Path.Combine(root, "docker.sock"),
            "--pidfile", Path.Combine(root, "docker.pid"),
            "--bridge=none", "--iptables=false", "--ip-masq=false",
            "--containerd-namespace", "ksync-" + Path.GetFileName(root),
            "--containerd-plugins-namespace", "ksync-plugins-" + Path.GetFileName(root),
            "--log-level", "warn",
        ];
        ProcessStartInfo info;
        if (node is not null)
        {
            info = node.Wrap(dockerd, args);
        }
        else
        {
            info = new ProcessStartInfo(dockerd) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }
        }

        var log = new StreamWriter(Path.Combine(root, "dockerd.log")) { AutoFlush = true };
        var daemon = new Process { StartInfo = info };
        daemon.OutputDataReceived += (_, e) => WriteLog(log, e.Data);
        daemon.ErrorDataReceived += (_, e) => WriteLog(log, e.Data);
        daemon.Start();
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        var engine = new DockerEngine(root, daemon, docker, node);
        try
        {
            await engine.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            await engine.ImportBusyboxAsync(cancellationToken);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }

        return engine;
    }

    /// <summary>Runs the docker CLI against this engine.</summary>
    /// <param name="arguments">Arguments after <c>docker -H ...</c>.</param>
    /// <param name="stdin">Text for stdin, or null.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The result (not checked).</returns>
    public Task<ProcessResult> CliAsync(IEnumerable<string> arguments, string? stdin = null, CancellationToken cancellationToken = default)
        => ProcessRunner.RunAsync(_docker, ["-H", Endpoint, .. arguments], stdin: stdin, cancellationToken: cancellationToken);

    /// <summary>Runs the docker CLI and returns its trimmed stdout; throws when it fails.</summary>
    /// <param name="arguments">Arguments after <c>docker -H ...</c>.</param>
    /// <returns>Trimmed stdout.</returns>
    public async Task<string> CliOkAsync(params string[] arguments)
        => (await CliAsync(arguments)).EnsureSuccess().Stdout.Trim();

    /// <summary>
    /// Runs a container from <see cref="BusyboxImage"/> (or <paramref name="image"/>) detached, with
    /// <c>--network none</c> and kubelet-style labels when <paramref name="podName"/> is given.
    /// </summary>
    /// <param name="name">Container name (at least two characters).</param>
    /// <param name="podName">Pod name for the <c>io.kubernetes.pod.*</c> labels, or null for a container outside any pod.</param>
    /// <param name="extraArgs">More <c>docker run</c> options (volumes, env).</param>
    /// <param name="image">Image; default <see cref="BusyboxImage"/>.</param>
    /// <param name="command">Command; default a sleep loop.</param>
    /// <returns>The full container ID.</returns>
    public Task<string> RunContainerAsync(string name, string? podName = "test-pod", IEnumerable<string>? extraArgs = null, string image = BusyboxImage, IEnumerable<string>? command = null)
    {
        var args = new List<string> { "run", "-d", "--name", name, "--network", "none" };
        if (podName is not null)
        {
            args.AddRange([
                "--label", $"io.kubernetes.pod.name={podName}",
                "--label", "io.kubernetes.pod.namespace=default",
                "--label", $"io.kubernetes.pod.uid={Guid.NewGuid()}",
                "--label", $"io.kubernetes.container.name={name}",
            ]);
        }

        args.AddRange(extraArgs ?? []);
        args.Add(image);
        args.AddRange(command ?? ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]);
        return CliOkAsync([.. args]);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_daemon.HasExited)
        {
            var ids = await CliAsync(["ps", "-aq"]);
            var all = ids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (all.Length > 0)
            {
                await CliAsync(["rm", "-f", "-v", .. all]);
            }

            await ProcessRunner.RunAsync("kill", ["-TERM", _daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _daemon.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _daemon.Kill(entireProcessTree: true);
            }
        }

        _daemon.Dispose();

        // Overlay mounts the daemon left behind would make the delete fail.
        await ProcessRunner.ShellAsync($"grep -o ' {RootDirectory}[^ ]*' /proc/self/mounts | sort -r | xargs -r -n1 umount -l");
        try
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private const string NodeSocket = "/run/docker.sock";

    private static void WriteLog(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    if (_daemon.HasExited)
                    {
                        throw new InvalidOperationException($"dockerd exited with {_daemon.ExitCode}");
                    }

                    using var response = await http.GetAsync(new Uri("http://docker/_ping"), cancellationToken);
                    return response.IsSuccessStatusCode;
                },
                timeout,
                "the private dockerd to answer /_ping",
                TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException ex)
        {
            var tail = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(30)) : "(no log)";
            throw new TimeoutException($"{ex.Message}\ndockerd log ({LogFile}):\n{tail}", ex);
        }
    }

    private async Task ImportBusyboxAsync(CancellationToken cancellationToken)
    {
        var tarPath = Path.Combine(RootDirectory, "busybox-rootfs.tar");
        await using (var file = File.Create(tarPath))
        {
            await BusyboxRootfs.WriteAsync(file, cancellationToken: cancellationToken);
        }

        var result = await ProcessRunner.RunAsync(_docker, ["-H", Endpoint, "import", tarPath, BusyboxImage], cancellationToken: cancellationToken);
        result.EnsureSuccess();
        File.Delete(tarPath);
    }
}
