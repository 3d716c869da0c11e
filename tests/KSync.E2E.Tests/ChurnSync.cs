using System.Globalization;
using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// The churn suite's one sync per node runtime, shared by its scenarios: a pod on the lab's node of
/// <see cref="Runtime"/>, a two-way spec with reload (restart) over 2,000 small files, one watch session, and the model
/// of what both sides must hold. Each scenario makes new, modified and deleted files on BOTH sides plus one file changed
/// on both, and then checks both sides against the model (<see cref="VerifyAsync"/>). The container's files are read
/// and written through its main process's root (<c>/proc/PID/root</c>), as its app would, without an exec per file.
/// On containerd /app is an emptyDir (<see cref="LabPods.CreateAsync"/>): each reload is a new container on the same
/// volume, which ksync resumes.
/// </summary>
public abstract class ChurnSync : IAsyncDisposable
{
    /// <summary>The spec's name.</summary>
    public const string SpecName = "churn";

    /// <summary>Number of files synced before any scenario: 20 folders of 100.</summary>
    public const int FileCount = 2000;

    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(120);
    private readonly Dictionary<string, string> _model = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private E2EFixture? _fixture;
    private LabPods? _pods;
    private WatchSession? _session;
    private int _scenario;
    private string? _containerId;

    /// <summary>Gets the runtime of the node the pod runs on.</summary>
    public abstract NodeRuntime Runtime { get; }

    /// <summary>Gets the pod's name.</summary>
    public string Pod { get; private set; } = string.Empty;

    /// <summary>Gets the local folder.</summary>
    public string Local { get; private set; } = string.Empty;

    /// <summary>Gets or sets the status recorder of the running scenario, or null.</summary>
    internal StatusRecorder? Recorder { get; set; }

    /// <summary>Gets the watch session.</summary>
    internal WatchSession? Session => _session;

    /// <summary>Gets the pods helper.</summary>
    internal LabPods Pods => _pods ?? throw new InvalidOperationException("The churn sync was not started.");

    /// <summary>
    /// Makes sure the sync runs and both sides hold the model: the first call creates the pod, the 2,000 files and the
    /// spec, and starts watch; later calls start watch again if a scenario left it stopped.
    /// </summary>
    /// <param name="fixture">The lab.</param>
    /// <returns>A task.</returns>
    public async Task EnsureAsync(E2EFixture fixture)
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_session is null)
            {
                _fixture = fixture;
                _pods = new LabPods(fixture);
                Pod = LabPods.Unique("churn");
                await _pods.CreateAsync(Pod, Pod, runtime: Runtime);
                _session = new WatchSession(fixture.Lab.KubeconfigPath);
                Local = _session.LocalFolder("churn");
                for (var d = 0; d < 20; d++)
                {
                    Directory.CreateDirectory(Path.Combine(Local, Dir(d)));
                    for (var f = 0; f < 100; f++)
                    {
                        var path = $"{Dir(d)}/f{f:000}.txt";
                        _model[path] = $"base {path}\n";
                        File.WriteAllText(Path.Combine(Local, path), _model[path]);
                    }
                }

                await _session.CreateAsync(Local, "/app", "-l", $"app={Pod}", "--name", SpecName, "--reload-mode", "restart");
                await _session.StartWatchAsync();

                // The first sync brought the 2,000 files into the container: one reload follows.
                await Eventually.TrueAsync(async () => await _pods.RestartCountAsync(Pod) == 1, TimeSpan.FromSeconds(120), "the reload after the first sync");
            }

            if (!_session.IsWatchRunning)
            {
                await _session.StartWatchAsync();
            }

            await _session.WaitWatchingAsync(SpecName);

            // Whatever both sides agree on is the model a scenario starts from (a failed scenario does not fail the next).
            await VerifyAsync("before the scenario", null, expectConflict: false, adopt: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reserves the files of the next scenario.</summary>
    /// <param name="name">The scenario's short name (in file contents).</param>
    /// <returns>The scenario's changes.</returns>
    public Scenario Next(string name) => new(this, name, Interlocked.Increment(ref _scenario));

    /// <summary>
    /// Waits until both sides hold exactly the model (plus the outcome of the scenario's file changed on both sides),
    /// then takes that outcome into the model.
    /// </summary>
    /// <param name="when">What is awaited, for the failure message.</param>
    /// <param name="scenario">The scenario whose both-sides file to judge, or null.</param>
    /// <param name="expectConflict">True when the two edits of that file were surely made apart, so a conflict copy must exist.</param>
    /// <param name="adopt">True to only wait until both sides agree, and take what they hold as the model.</param>
    /// <returns>A task.</returns>
    public async Task VerifyAsync(string when, Scenario? scenario, bool expectConflict, bool adopt = false)
    {
        string last = "nothing read yet";
        Dictionary<string, string>? agreed = null;
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    Session!.EnsureRunning();
                    var local = Snapshot(Local);
                    Dictionary<string, string> remote;
                    try
                    {
                        remote = Snapshot(await ContainerAppAsync());
                    }
                    catch (IOException ex)
                    {
                        // The container restarted under the read (a reload).
                        last = ex.Message;
                        return false;
                    }

                    last = adopt ? Disagreements(local, remote) : Differences(local, remote, scenario, expectConflict);
                    agreed = last.Length == 0 ? local : null;
                    return agreed is not null;
                },
                ConvergeTimeout,
                $"both sides to hold the expected files {when}",
                TimeSpan.FromMilliseconds(500));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}\nLast difference: {last}", ex);
        }

        _model.Clear();
        foreach (var (path, content) in agreed!)
        {
            _model[path] = content;
        }
    }

    /// <summary>The container's <c>/app</c> as the host sees it.</summary>
    /// <returns>The path.</returns>
    public async Task<string> ContainerAppAsync()
    {
        var pid = 0;
        await Eventually.TrueAsync(
            async () => (pid = await ContainerPidAsync()) != 0,
            TimeSpan.FromSeconds(30),
            "the container to run (a reload restarts it)",
            TimeSpan.FromMilliseconds(100));
        return $"/proc/{pid}/root/app";
    }

    /// <summary>
    /// Kills a container of the lab's node of <see cref="Runtime"/> (SIGKILL, as a crash would) and returns once it no
    /// longer runs: a scenario's changes must be made while the killed process is really gone, or the change made on
    /// one side can still sync before the other side's, and the two are no longer concurrent.
    /// </summary>
    /// <param name="containerId">The container ID with or without its runtime scheme.</param>
    /// <returns>A task.</returns>
    public async Task KillContainerAsync(string containerId)
    {
        var id = containerId[(containerId.IndexOf("://", StringComparison.Ordinal) + 3)..];
        if (Runtime == NodeRuntime.Docker)
        {
            await _fixture!.Lab.Engine.CliOkAsync("kill", id);
            await Eventually.TrueAsync(
                async () => await _fixture!.Lab.Engine.CliOkAsync("inspect", "-f", "{{.State.Running}}", id) == "false",
                TimeSpan.FromSeconds(10),
                "the killed container to stop",
                TimeSpan.FromMilliseconds(20));
        }
        else
        {
            (await Containerd.CtrAsync(["tasks", "kill", "-s", "SIGKILL", id], TestContext.Current.CancellationToken)).EnsureSuccess();
            await Eventually.TrueAsync(
                async () =>
                {
                    // "TASK PID STATUS" rows; the killed task is gone or no longer RUNNING.
                    var tasks = (await Containerd.CtrAsync(["tasks", "ls"], TestContext.Current.CancellationToken)).EnsureSuccess().Stdout;
                    return !tasks.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Any(r => r.Length == 3 && r[0] == id && r[2] == "RUNNING");
                },
                TimeSpan.FromSeconds(10),
                "the killed task to stop",
                TimeSpan.FromMilliseconds(20));
        }
    }

    private ContainerdEngine Containerd => _fixture!.Lab.ContainerdOf(_fixture.Lab.NodeOf(NodeRuntime.Containerd).Name)
        ?? throw new InvalidOperationException("The lab has no containerd node.");

    // The main process of the pod's container, or 0 while it does not run. Docker's restart (radar's reload) keeps the
    // ID; on containerd a reload is a new container, so the ID is asked again once the old one stopped. Cached, so the
    // API server may be down meanwhile.
    private async Task<int> ContainerPidAsync()
    {
        try
        {
            var id = _containerId ??= await Pods.ContainerIdAsync(Pod);
            if (Runtime == NodeRuntime.Docker)
            {
                return int.Parse(await _fixture!.Lab.Engine.CliOkAsync("inspect", "-f", "{{.State.Pid}}", id), CultureInfo.InvariantCulture);
            }

            // "TASK PID STATUS" rows.
            var tasks = (await Containerd.CtrAsync(["tasks", "ls"], TestContext.Current.CancellationToken)).EnsureSuccess().Stdout;
            var row = tasks.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(r => r.Length == 3 && r[0] == id);
            if (row is [_, var pid, "RUNNING"])
            {
                return int.Parse(pid, CultureInfo.InvariantCulture);
            }

            _containerId = null;
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            // No container ID yet, or the API server is away.
            return 0;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        _gate.Dispose();
    }

    private static string Dir(int d) => $"d{d:00}";

    private static Dictionary<string, string> Snapshot(string root)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var name = Path.GetFileName(relative);
            if (name.StartsWith(".st", StringComparison.Ordinal) || name.StartsWith(".syncthing.", StringComparison.Ordinal))
            {
                continue;
            }

            files[relative] = File.ReadAllText(file);
        }

        return files;
    }

    private static string Disagreements(Dictionary<string, string> local, Dictionary<string, string> remote)
    {
        var problems = new List<string>();
        foreach (var path in local.Keys.Union(remote.Keys).Order(StringComparer.Ordinal))
        {
            local.TryGetValue(path, out var l);
            remote.TryGetValue(path, out var r);
            if (l != r)
            {
                problems.Add($"{path}: local {Show(l)}, container {Show(r)}");
            }
        }

        return Summary(problems);
    }

    private static string Summary(List<string> problems)
        => string.Join("; ", problems.Take(12)) + (problems.Count > 12 ? $" … ({problems.Count} in all)" : string.Empty);

    private string Differences(Dictionary<string, string> local, Dictionary<string, string> remote, Scenario? scenario, bool expectConflict)
    {
        var problems = new List<string>();
        if (Disagreements(local, remote) is { Length: > 0 } disagreements)
        {
            problems.Add(disagreements);
        }

        var expected = new Dictionary<string, string>(_model, StringComparer.Ordinal);
        scenario?.Apply(expected);
        var both = scenario?.BothPath;
        foreach (var (path, content) in expected.Where(e => e.Key != both))
        {
            if (!local.TryGetValue(path, out var actual) || actual != content)
            {
                problems.Add($"{path}: expected {Show(content)}, local has {Show(actual)}");
            }
        }

        var extra = local.Keys.Where(k => !expected.ContainsKey(k) && k != both && !(both is not null && IsConflictCopyOf(k, both))).ToList();
        problems.AddRange(extra.Select(k => $"{k}: not expected, local has {Show(local[k])}"));
        if (scenario is not null)
        {
            var versions = local.Where(kv => IsConflictCopyOf(kv.Key, both!)).Select(kv => kv.Value).ToList();
            var copies = versions.Count;
            if (local.TryGetValue(both!, out var main))
            {
                versions.Add(main);
            }

            var edits = new[] { scenario.BothLocal, scenario.BothContainer };
            var merged = versions.Count == 2 && versions.ToHashSet().SetEquals(edits);
            var oneWon = copies == 0 && main is not null && edits.Contains(main);
            if (!(merged || (oneWon && !expectConflict)))
            {
                problems.Add($"{both}: expected {(expectConflict ? "both edits, one as a conflict copy" : "both edits or one")}, found {string.Join(" | ", versions.Select(Show))}");
            }
        }

        return Summary(problems);
    }

    private static bool IsConflictCopyOf(string path, string original)
    {
        var stem = original[..^".txt".Length];
        return path.StartsWith(stem + ".sync-conflict-", StringComparison.Ordinal) && path.EndsWith(".txt", StringComparison.Ordinal);
    }

    private static string Show(string? content) => content is null ? "<missing>" : $"'{content.TrimEnd('\n')}'";

    /// <summary>The changes of one scenario, on files no other scenario touches.</summary>
    public sealed class Scenario
    {
        private readonly ChurnSync _sync;
        private readonly string _name;
        private readonly string _index;

        /// <summary>Creates the scenario's changes.</summary>
        /// <param name="sync">The sync.</param>
        /// <param name="name">Short name.</param>
        /// <param name="index">Its number, which picks its files.</param>
        internal Scenario(ChurnSync sync, string name, int index)
        {
            _sync = sync;
            _name = name;
            _index = index.ToString("000", CultureInfo.InvariantCulture);
        }

        /// <summary>Gets the file changed on both sides.</summary>
        public string BothPath => $"d06/f{_index}.txt";

        /// <summary>Gets the local edit of <see cref="BothPath"/>.</summary>
        public string BothLocal => $"{_name}: local side\n";

        /// <summary>Gets the container's edit of <see cref="BothPath"/>.</summary>
        public string BothContainer => $"{_name}: container side\n";

        /// <summary>Makes the changes on both sides: local first, then the container (whose edit of the shared file is newer).</summary>
        /// <returns>A task.</returns>
        public async Task ChangeBothSidesAsync()
        {
            // The container's folder is found first, so both sides' writes follow each other within milliseconds.
            var local = _sync.Local;
            var app = await _sync.ContainerAppAsync();
            File.WriteAllText(Path.Combine(local, $"d00/local-new-{_name}.txt"), $"{_name}: new on local\n");
            File.WriteAllText(Path.Combine(local, $"d01/f{_index}.txt"), $"{_name}: edited on local\n");
            File.Delete(Path.Combine(local, $"d02/f{_index}.txt"));
            File.WriteAllText(Path.Combine(local, BothPath), BothLocal);
            File.WriteAllText(Path.Combine(app, $"d03/container-new-{_name}.txt"), $"{_name}: new in the container\n");
            File.WriteAllText(Path.Combine(app, $"d04/f{_index}.txt"), $"{_name}: edited in the container\n");
            File.Delete(Path.Combine(app, $"d05/f{_index}.txt"));
            File.WriteAllText(Path.Combine(app, BothPath), BothContainer);
        }

        /// <summary>Applies the changes (all but the shared file, which is judged apart) to a model.</summary>
        /// <param name="model">Path → content.</param>
        internal void Apply(Dictionary<string, string> model)
        {
            model[$"d00/local-new-{_name}.txt"] = $"{_name}: new on local\n";
            model[$"d01/f{_index}.txt"] = $"{_name}: edited on local\n";
            model.Remove($"d02/f{_index}.txt");
            model[$"d03/container-new-{_name}.txt"] = $"{_name}: new in the container\n";
            model[$"d04/f{_index}.txt"] = $"{_name}: edited in the container\n";
            model.Remove($"d05/f{_index}.txt");
            model.Remove(BothPath);
        }
    }
}
