using KSync.Lab;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Infrastructure;

/// <summary>
/// One private Docker engine per test collection with the locally built Debian image, a local HTTP mirror of the
/// release downloads (GitHub releases, dl.k8s.io), the plugin's release archive made by krew/package.sh, and an image
/// on which the feature's install.sh already ran for real (<see cref="InstalledImage"/>), from which tests start
/// fresh containers. Containers use the host network, so they reach the mirror on 127.0.0.1, Debian's mirror, and the
/// lab cluster (<see cref="LabAsync"/>, started on first use and shared by the collection's lab tests).
/// </summary>
public sealed class DebianFixture : IAsyncLifetime
{
    public const string InstalledImage = "ksync-test/debian-ksync:installed";

    private readonly SemaphoreSlim _labGate = new(1, 1);
    private DockerEngine? _engine;
    private LocalHttpServer? _mirror;
    private LabCluster? _lab;
    private int _names;

    public DockerEngine Engine => _engine ?? throw new InvalidOperationException("The engine did not start.");

    public LocalHttpServer Mirror => _mirror ?? throw new InvalidOperationException("The mirror did not start.");

    /// <summary>Gets the folder with the plugin archive and checksums.txt (mounted at /dist).</summary>
    public string Dist { get; private set; } = string.Empty;

    /// <summary>Gets the tag of the plugin archive (v0.1.0).</summary>
    public string Tag { get; private set; } = string.Empty;

    /// <summary>Gets the version of the host's kubectl the mirror serves as "stable".</summary>
    public string KubectlVersion { get; private set; } = string.Empty;

    /// <summary>Gets what install.sh printed when <see cref="InstalledImage"/> was made.</summary>
    public ProcessResult InstallResult { get; private set; } = null!;

    public static string FeatureSource => Path.Combine(Repository.Root, "devcontainer-feature", "src", "ksync");

    /// <summary>Environment for install.sh that points every download at the local mirror.</summary>
    public IReadOnlyDictionary<string, string> MirrorEnvironment => new Dictionary<string, string>
    {
        ["KSYNC_RELEASE_BASE_URL"] = $"{Mirror.BaseUrl}/releases",
        ["KSYNC_KUBECTL_BASE_URL"] = $"{Mirror.BaseUrl}/kubectl",
        ["KSYNC_SYNCTHING_BASE_URL"] = $"{Mirror.BaseUrl}/syncthing",
    };

    public async ValueTask InitializeAsync()
    {
        if (!Requires.IsCi && (Requires.Which("dockerd") is null || Requires.Which("debootstrap") is null || Environment.UserName != "root"))
        {
            // Each test calls Requires itself and skips with the reason; the fixture must not throw first.
            return;
        }

        _engine = await DockerEngine.StartAsync(TestContext.Current.CancellationToken);
        _mirror = new LocalHttpServer();
        await DebianRootfs.ImportAsync(_engine);
        Dist = await PluginArchives.LinuxAsync();
        var archive = await PluginArchives.LinuxArchiveAsync();
        Tag = Path.GetFileName(archive).Split('_')[1];
        ServeRelease(archive);
        await ServeKubectlAsync();
        await ServeSyncthingAsync();

        // The feature as a user gets it: local archive, kubectl from the (mirrored) download, syncthing from apt.
        var id = await RunContainerAsync(DebianRootfs.Image);
        InstallResult = await InstallAsync(id, new Dictionary<string, string>(MirrorEnvironment) { ["PLUGINARCHIVE"] = "/dist" });
        InstallResult.EnsureSuccess();
        await ExecAsync(id, "useradd -m -s /bin/bash dev");
        await Engine.CliOkAsync("commit", id, InstalledImage);
        await Engine.CliOkAsync("rm", "-f", id);
    }

    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }

        _labGate.Dispose();
        if (_mirror is not null)
        {
            await _mirror.DisposeAsync();
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    /// <summary>
    /// The lab cluster, started on first use, with ksync's node agents installed by <c>kubectl ksync init --remote</c>
    /// through the published binary.
    /// </summary>
    public async Task<LabCluster> LabAsync()
    {
        await _labGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_lab is null)
            {
                Requires.Tool("syncthing", "syncthing");
                _lab = await LabCluster.StartAsync(new LabOptions(), TestContext.Current.CancellationToken);
                using var home = new TempDirectory("ksync-dist-init");
                var init = await new PluginRunner(home.Path, home.Path).With("KUBECONFIG", _lab.KubeconfigPath).RunAsync("init", "--remote", "--timeout", "120s");
                init.EnsureSuccess();
            }

            return _lab;
        }
        finally
        {
            _labGate.Release();
        }
    }

    /// <summary>Requires the engine (skips locally, fails under CI when it is missing).</summary>
    public void Require()
    {
        Requires.Root();
        Requires.Tool("dockerd", "docker.io");
        Requires.Tool("debootstrap", "debootstrap");
        _ = Engine;
    }

    /// <summary>Starts a container that sleeps, with /dist (archives) and /feature (the feature's source) mounted read-only.</summary>
    public Task<string> RunContainerAsync(string image, params string[] extraArgs)
    {
        var name = $"dist-{Interlocked.Increment(ref _names)}";
        return Engine.CliOkAsync([
            "run", "-d", "--name", name, "--network", "host",
            "-v", $"{Dist}:/dist:ro", "-v", $"{FeatureSource}:/feature:ro",
            .. extraArgs, image, "sleep", "infinity"]);
    }

    /// <summary>Runs <c>sh -c SCRIPT</c> in a container, as root or <paramref name="user"/>.</summary>
    public Task<ProcessResult> ExecAsync(string container, string script, string? user = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var args = new List<string> { "exec" };
        if (user is not null)
        {
            args.AddRange(["-u", user, "-w", $"/home/{user}"]);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            args.AddRange(["-e", $"{key}={value}"]);
        }

        args.AddRange([container, "sh", "-c", script]);
        return DockerAsync(args, timeout);
    }

    /// <summary>Runs the docker CLI against the private engine; installs may take minutes (apt), so the timeout is 5 min.</summary>
    public Task<ProcessResult> DockerAsync(IEnumerable<string> arguments, TimeSpan? timeout = null)
        => ProcessRunner.RunAsync(
            Requires.Tool("docker", "docker.io"),
            ["-H", Engine.Endpoint, .. arguments],
            timeout: timeout ?? TimeSpan.FromMinutes(5),
            cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Runs the feature's install.sh in a container, with options as environment variables.</summary>
    public Task<ProcessResult> InstallAsync(string container, IReadOnlyDictionary<string, string> options)
        => ExecAsync(container, "/feature/install.sh", environment: options);

    private void ServeRelease(string archive)
    {
        var asset = Path.GetFileName(archive);
        Mirror.Redirect("/releases/latest", $"{Mirror.BaseUrl}/releases/tag/{Tag}");
        Mirror.Text($"/releases/tag/{Tag}", "release page");
        Mirror.File($"/releases/download/{Tag}/{asset}", archive);
        Mirror.File($"/releases/download/{Tag}/checksums.txt", Path.Combine(Dist, "checksums.txt"));

        // v9.9.9: a release whose checksums.txt does not match its archive (a corrupt or tampered download).
        Mirror.File($"/releases/download/v9.9.9/{asset.Replace(Tag, "v9.9.9", StringComparison.Ordinal)}", archive);
        Mirror.Text("/releases/download/v9.9.9/checksums.txt", $"{new string('0', 64)}  {asset.Replace(Tag, "v9.9.9", StringComparison.Ordinal)}\n");
    }

    /// <summary>
    /// syncthing's release layout (v&lt;version&gt;/syncthing-linux-&lt;arch&gt;-v&lt;version&gt;.tar.gz and the clear-signed
    /// sha256sum.txt.asc), as v1.27.12 holding the host's syncthing binary, and v1.27.13 whose checksum does not match.
    /// </summary>
    private async Task ServeSyncthingAsync()
    {
        var syncthing = Requires.Tool("syncthing", "syncthing");
        var staging = Path.Combine(Path.GetTempPath(), $"ksync-syncthing-{Environment.ProcessId}");
        foreach (var version in new[] { "1.27.12", "1.27.13" })
        {
            var name = $"syncthing-linux-{PluginArchives.HostArch}-v{version}";
            Directory.CreateDirectory(Path.Combine(staging, name));
            File.Copy(syncthing, Path.Combine(staging, name, "syncthing"), overwrite: true);
            var tarball = Path.Combine(staging, name + ".tar.gz");
            (await ProcessRunner.RunAsync("tar", ["-C", staging, "-czf", tarball, name])).EnsureSuccess();
            var sha = version == "1.27.12" ? (await ProcessRunner.RunAsync("sha256sum", [tarball])).EnsureSuccess().Stdout.Split(' ')[0] : new string('f', 64);
            Mirror.File($"/syncthing/v{version}/{name}.tar.gz", tarball);
            Mirror.Text(
                $"/syncthing/v{version}/sha256sum.txt.asc",
                $"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{new string('1', 64)}  syncthing-linux-386-v{version}.tar.gz\n{sha}  {name}.tar.gz\n-----BEGIN PGP SIGNATURE-----\n\nxyz\n-----END PGP SIGNATURE-----\n");
        }
    }

    private async Task ServeKubectlAsync()
    {
        // The host's kubectl plays the role of the latest stable release on dl.k8s.io.
        var kubectl = new FileInfo(Requires.Tool("kubectl", "kubectl")).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Requires.Tool("kubectl", "kubectl");
        KubectlVersion = "v1.32.4";
        var sha = (await ProcessRunner.RunAsync("sha256sum", [kubectl])).EnsureSuccess().Stdout.Split(' ')[0];
        Mirror.Text("/kubectl/stable.txt", KubectlVersion + "\n");
        Mirror.File($"/kubectl/{KubectlVersion}/bin/linux/{PluginArchives.HostArch}/kubectl", kubectl);
        Mirror.Text($"/kubectl/{KubectlVersion}/bin/linux/{PluginArchives.HostArch}/kubectl.sha256", sha);
    }
}
