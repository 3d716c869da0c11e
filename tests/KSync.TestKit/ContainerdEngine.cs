using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace KSync.TestKit;

/// <summary>
/// A private containerd (Debian <c>containerd</c> 1.6 + <c>runc</c>) with its CRI plugin: own root, state and unix
/// socket under a temp folder, configured as the test machines need
/// (<c>restrict_oom_score_adj = true</c> where the VM lacks CAP_SYS_RESOURCE, <c>SystemdCgroup = false</c>, a locally imported sandbox image, the
/// streaming server on a random port). Pod sandboxes must use host network (no CNI is installed). Started by
/// <see cref="StartAsync(CancellationToken)"/>, which also imports <see cref="BusyboxImage"/> with <c>ctr -n k8s.io images import</c>;
/// stopped by <see cref="DisposeAsync"/> (all tasks killed, mounts under its folder unmounted, folder deleted).
/// </summary>
public sealed class ContainerdEngine : IAsyncDisposable
{
    /// <summary>The image every test uses, imported from a <c>docker save</c>-format archive of <see cref="BusyboxRootfs"/>; it is also the sandbox image.</summary>
    public const string BusyboxImage = "docker.io/ksync-test/busybox:latest";

    /// <summary>The containerd namespace of the CRI plugin.</summary>
    public const string Namespace = "k8s.io";

    private readonly Process _daemon;
    private readonly string _ctr;
    private bool _disposed;

    private const string NodeSocket = "/run/containerd/containerd.sock";

    private ContainerdEngine(string root, Process daemon, string ctr, NodeFilesystem? node)
    {
        RootDirectory = root;
        _daemon = daemon;
        _ctr = ctr;
        Node = node;
    }

    /// <summary>Gets the folder holding the engine's root, state, socket, config and log.</summary>
    public string RootDirectory { get; }

    /// <summary>Gets the lab node whose engine this is, or null for a standalone engine.</summary>
    public NodeFilesystem? Node { get; }

    /// <summary>Gets the daemon's process ID.</summary>
    public int Pid => _daemon.Id;

    /// <summary>Gets the CRI/containerd unix socket (on the host).</summary>
    public string SocketPath => Node?.HostPath(NodeSocket) ?? Path.Combine(RootDirectory, "c.sock");

    /// <summary>Gets containerd's root directory on the host (what /var/lib/containerd is for the system one).</summary>
    public string DataRoot => Node?.HostPath("/var/lib/containerd") ?? Path.Combine(RootDirectory, "root");

    /// <summary>Gets containerd's state directory on the host (what /run/containerd is; task bundles live under it).</summary>
    public string StateDirectory => Node?.HostPath("/run/containerd") ?? Path.Combine(RootDirectory, "state");

    /// <summary>Gets the daemon's log file.</summary>
    public string LogFile => Path.Combine(RootDirectory, "containerd.log");

    /// <summary>
    /// Starts a private containerd and waits until its socket accepts connections, then imports
    /// <see cref="BusyboxImage"/>. Skips the test locally (fails it under CI=true) when containerd, ctr, runc or root is missing.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running engine.</returns>
    /// <exception cref="TimeoutException">containerd did not come up within 60 s; the message has its log.</exception>
    public static Task<ContainerdEngine> StartAsync(CancellationToken cancellationToken = default)
        => StartAsync(null, null, cancellationToken);

    /// <summary>
    /// Starts the containerd of a lab node: in the node's mount namespace (see <see cref="NodeFilesystem"/>), with
    /// root <c>/var/lib/containerd</c>, state <c>/run/containerd</c> and socket <c>/run/containerd/containerd.sock</c> as
    /// the node sees them, and pod sandboxes with their own network namespaces set up by CNI from
    /// <paramref name="cniDirectory"/> (<c>bin/</c> and <c>net.d/</c>).
    /// </summary>
    /// <param name="node">The node, or null for a standalone engine under a temp folder (host-network sandboxes only).</param>
    /// <param name="cniDirectory">Folder with the CNI plugins (<c>bin</c>) and network config (<c>net.d</c>); null for none.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running engine.</returns>
    public static async Task<ContainerdEngine> StartAsync(NodeFilesystem? node, string? cniDirectory, CancellationToken cancellationToken = default)
    {
        Requires.Root();
        var containerd = Requires.Tool("containerd", "containerd");
        var ctr = Requires.Tool("ctr", "containerd");
        Requires.Tool("runc", "runc");
        Requires.Tool(BusyboxRootfs.BusyboxPath, "busybox-static");

        // Short path: unix socket paths are limited to 108 bytes.
        var root = node?.Root ?? Path.Combine("/tmp", $"kc-{Guid.NewGuid():N}"[..11]);
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(Path.Combine(root, "cni"));
        var config = Path.Combine(root, "config.toml");
        await File.WriteAllTextAsync(config, node is null ? Config(root) : NodeConfig(cniDirectory ?? Path.Combine(root, "cni")), cancellationToken);
        string[] args = ["--config", config, "--log-level", "warn"];
        ProcessStartInfo info;
        if (node is not null)
        {
            info = node.Wrap(containerd, args);
        }
        else
        {
            info = new ProcessStartInfo(containerd) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }
        }

        var log = new StreamWriter(Path.Combine(root, "containerd.log")) { AutoFlush = true };
        var daemon = new Process { StartInfo = info };
        daemon.OutputDataReceived += (_, e) => WriteLog(log, e.Data);
        daemon.ErrorDataReceived += (_, e) => WriteLog(log, e.Data);
        daemon.Start();
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        var engine = new ContainerdEngine(root, daemon, ctr, node);
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

    /// <summary>Runs <c>ctr</c> against this engine in the CRI namespace.</summary>
    /// <param name="arguments">Arguments after <c>ctr --address SOCK -n k8s.io</c>.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The result (not checked).</returns>
    public Task<ProcessResult> CtrAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var (fileName, args) = CtrCommand(arguments);
        return ProcessRunner.RunAsync(fileName, args, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The command line of <c>ctr</c> against this engine in the CRI namespace; for a node's engine it runs in the
    /// node's mount namespace, where the shim opens the FIFOs ctr creates (exec, attach).
    /// </summary>
    /// <param name="arguments">Arguments after <c>ctr --address SOCK -n k8s.io</c>.</param>
    /// <returns>File name and arguments.</returns>
    public (string FileName, string[] Arguments) CtrCommand(IEnumerable<string> arguments)
    {
        if (Node is null)
        {
            return (_ctr, ["--address", SocketPath, "-n", Namespace, .. arguments]);
        }

        var (nsenter, enter) = NodeFilesystem.Enter(_daemon.Id);
        return (nsenter, [.. enter, _ctr, "--address", NodeSocket, "-n", Namespace, .. arguments]);
    }

    /// <summary>Gets the last lines of the daemon's log, for failure messages.</summary>
    /// <param name="lines">How many lines.</param>
    /// <returns>The tail of the log.</returns>
    public string LogTail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
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
            // containerd leaves its shims (and so the containers) running when it stops: kill every task first.
            var tasks = await CtrAsync(["tasks", "ls", "-q"]);
            foreach (var id in tasks.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await CtrAsync(["tasks", "kill", "-a", "-s", "SIGKILL", id]);
                await CtrAsync(["tasks", "delete", "-f", id]);
            }

            await ProcessRunner.RunAsync("kill", ["-TERM", _daemon.Id.ToString(CultureInfo.InvariantCulture)]);
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
        await UnmountBelowAsync(RootDirectory);
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

    /// <summary>Unmounts every mount point under <paramref name="directory"/>, deepest first (lazy unmount).</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task UnmountBelowAsync(string directory)
    {
        var prefix = directory.TrimEnd('/') + "/";
        var points = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length > 4)
            .Select(parts => parts[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(point => point.Length)
            .ToList();
        foreach (var point in points)
        {
            await ProcessRunner.RunAsync("umount", ["-l", point]);
        }
    }

    // A standalone engine keeps everything under its folder; a node's uses the node's paths (NodeFilesystem).
    private static string Config(string root) => Config($"{root}/root", $"{root}/state", $"{root}/c.sock", $"{root}/cni", $"{root}/cni", $"{root}/opt");

    private static string NodeConfig(string cni) => Config("/var/lib/containerd", "/run/containerd", NodeSocket, $"{cni}/bin", $"{cni}/net.d", "/var/lib/containerd-opt");

    private static string Config(string dataRoot, string state, string socket, string cniBin, string cniConf, string opt) => $"""
        version = 2
        root = "{dataRoot}"
        state = "{state}"

        [grpc]
          address = "{socket}"

        [ttrpc]
          address = "{socket}.ttrpc"

        [plugins."io.containerd.internal.v1.opt"]
          path = "{opt}"

        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "{BusyboxImage}"
          restrict_oom_score_adj = true
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"
          enable_selinux = false

          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
            default_runtime_name = "runc"

            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"

              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                SystemdCgroup = false

          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "{cniBin}"
            conf_dir = "{cniConf}"
        """;

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
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    if (_daemon.HasExited)
                    {
                        throw new InvalidOperationException($"containerd exited with {_daemon.ExitCode}");
                    }

                    if (!File.Exists(SocketPath))
                    {
                        return false;
                    }

                    using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
                    var version = await CtrAsync(["version"], cancellationToken);
                    return version.ExitCode == 0;
                },
                timeout,
                "the private containerd to answer",
                TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\ncontainerd log ({LogFile}):\n{LogTail()}", ex);
        }
    }

    private async Task ImportBusyboxAsync(CancellationToken cancellationToken)
    {
        var archive = Path.Combine(RootDirectory, "busybox-image.tar");
        await using (var file = File.Create(archive))
        {
            await ImageArchive.WriteDockerArchiveAsync(file, "ksync-test/busybox:latest", cancellationToken);
        }

        var result = await CtrAsync(["images", "import", archive], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ctr images import failed: {result.Output}\ncontainerd log:\n{LogTail()}");
        }

        File.Delete(archive);
    }
}
