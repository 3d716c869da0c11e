using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KSync.Lab.Api;
using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary>
/// The kubectl commands a ksync user runs, through the real kubectl 1.32 against the lab, on pods of both runtimes:
/// create (protobuf bodies), apply, get, describe, logs, exec (WebSocket v5), cp, port-forward (SPDY, tunnelled in a
/// WebSocket or not), delete; pod and container securityContext as a kubelet applies it; NoExecute taints.
/// </summary>
[Collection(LabGroup.Name)]
public sealed class KubectlConformanceTests(LabFixture fixture) : IDisposable
{
    private readonly TempDirectory _dir = new("kubectl-conf");

    public static TheoryData<NodeRuntime> Runtimes => [NodeRuntime.Docker, NodeRuntime.Containerd];

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Kubectl_ApplyGetDescribeLogsExecCpDelete_WorkOnEachRuntime(NodeRuntime runtime)
    {
        var lab = fixture.LabOnly("picks a node by runtime");
        var name = "conf-" + Guid.NewGuid().ToString("N")[..6];
        var manifest = _dir.WriteFile($"{name}.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{name}}
              labels: {app: {{name}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: {{lab.NodeOf(runtime).Name}}}
              tolerations: [{key: {{LabCluster.TaintKey}}, operator: Exists}]
              terminationGracePeriodSeconds: 0
              containers:
                - name: app
                  image: busybox:latest
                  command: ["sh", "-c", "echo started {{name}}; trap 'exit 0' TERM; while true; do sleep 1; done"]
            """);
        var apply = await KubectlAsync("apply", "--validate=false", "-f", manifest);
        Assert.True(apply.ExitCode == 0, apply.Output);
        Assert.Contains($"pod/{name} created", apply.Stdout, StringComparison.Ordinal);
        try
        {
            var wait = await KubectlAsync("wait", "--for=condition=Ready", $"pod/{name}", "--timeout=60s");
            Assert.True(wait.ExitCode == 0, wait.Output);

            var get = await KubectlAsync("get", "pod", name, "-o", "wide");
            Assert.True(get.ExitCode == 0, get.Output);
            Assert.Contains(lab.NodeOf(runtime).Name, get.Stdout, StringComparison.Ordinal);
            Assert.Contains("Running", get.Stdout, StringComparison.Ordinal);
            var id = await KubectlAsync("get", "pod", name, "-o", "jsonpath={.status.containerStatuses[0].containerID}");
            Assert.StartsWith(runtime == NodeRuntime.Docker ? "docker://" : "containerd://", id.Stdout, StringComparison.Ordinal);

            var describe = await KubectlAsync("describe", "pod", name);
            Assert.True(describe.ExitCode == 0, describe.Output);
            Assert.Contains("Started container app", describe.Stdout, StringComparison.Ordinal);

            var logs = await KubectlAsync("logs", name);
            Assert.True(logs.ExitCode == 0, logs.Output);
            Assert.Equal($"started {name}\n", logs.Stdout);

            var exec = await KubectlAsync("exec", name, "--", "sh", "-c", "echo out; echo err >&2; exit 7");
            Assert.Equal(7, exec.ExitCode);
            Assert.Equal("out\n", exec.Stdout);
            Assert.Contains("err", exec.Stderr, StringComparison.Ordinal);

            // cp both ways: into the pod (tar through exec's stdin, closed with the v5 close signal) and back.
            var local = _dir.WriteFile("cp-src/notes.txt", "copied by kubectl cp\n");
            var cpIn = await KubectlAsync("cp", local, $"{name}:/tmp/notes.txt");
            Assert.True(cpIn.ExitCode == 0, cpIn.Output);
            Assert.Equal("copied by kubectl cp\n", (await KubectlAsync("exec", name, "--", "cat", "/tmp/notes.txt")).Stdout);
            var back = _dir.Combine("cp-back.txt");
            var cpOut = await KubectlAsync("cp", $"{name}:/tmp/notes.txt", back);
            Assert.True(cpOut.ExitCode == 0, cpOut.Output);
            Assert.Equal("copied by kubectl cp\n", File.ReadAllText(back));
        }
        finally
        {
            var delete = await KubectlAsync("delete", "pod", name, "--wait=true", "--timeout=60s");
            Assert.True(delete.ExitCode == 0, delete.Output);
        }

        Assert.NotEqual(0, (await KubectlAsync("get", "pod", name)).ExitCode);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task PortForward_OverBothTransports_CarriesBytesBothWaysOnTwoConnections_AndReportsAClosedPort(NodeRuntime runtime)
    {
        var lab = fixture.LabOnly("picks a node by runtime");
        var name = "pf-" + Guid.NewGuid().ToString("N")[..6];
        var manifest = _dir.WriteFile($"{name}.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: {{name}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: {{lab.NodeOf(runtime).Name}}}
              tolerations: [{key: {{LabCluster.TaintKey}}, operator: Exists}]
              terminationGracePeriodSeconds: 0
              containers: [{name: app, image: busybox:latest, command: ["sh", "-c", "{{TestPods.EchoCommand}}"]}]
            """);
        Assert.Equal(0, (await KubectlAsync("apply", "--validate=false", "-f", manifest)).ExitCode);
        try
        {
            var wait = await KubectlAsync("wait", "--for=condition=Ready", $"pod/{name}", "--timeout=60s");
            Assert.True(wait.ExitCode == 0, wait.Output);

            // kubectl 1.31+ first tunnels SPDY through a WebSocket (a GET upgrade); with the tunnel turned off, or
            // from an older kubectl, it is a POST upgraded to SPDY/3.1. -v=6 logs the request that got 101.
            foreach (var (websockets, method) in new[] { ("true", "GET"), ("false", "POST") })
            {
                await using var forward = await PortForwardAsync(name, 7000, websockets);
                byte[][] payloads = [RandomNumberGenerator.GetBytes(512 * 1024), RandomNumberGenerator.GetBytes(512 * 1024)];
                var echoes = await Task.WhenAll(payloads.Select(p => EchoClient.RoundTripAsync(forward.LocalPort, p, TimeSpan.FromSeconds(60), Token)));

                Assert.True(payloads[0].AsSpan().SequenceEqual(echoes[0]), $"connection 1 over websockets={websockets}: {echoes[0].Length} bytes back\n{forward.Output()}");
                Assert.True(payloads[1].AsSpan().SequenceEqual(echoes[1]), $"connection 2 over websockets={websockets}: {echoes[1].Length} bytes back\n{forward.Output()}");
                Assert.Equal(2, Regex.Count(forward.Output(), $"Handling connection for {forward.LocalPort}"));
                Assert.Matches($"{method} https://[^ ]+/pods/{name}/portforward 101 Switching Protocols", forward.Output());
            }

            // Nothing listens on 7001: the kubelet's text comes on the error stream, kubectl logs it and gives up.
            await using var refused = await PortForwardAsync(name, 7001, "true");
            using (var client = new TcpClient())
            {
                await client.ConnectAsync("127.0.0.1", refused.LocalPort, Token);
                await client.GetStream().WriteAsync("x"u8.ToArray(), Token);
                Assert.Equal(0, await client.GetStream().ReadAsync(new byte[1], Token).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Token));
            }

            Assert.Equal(1, await refused.ExitCodeAsync());
            Assert.Contains($"an error occurred forwarding {refused.LocalPort} -> 7001: error forwarding port 7001 to pod {name}", refused.Output(), StringComparison.Ordinal);
            Assert.Contains("failed to connect to localhost:7001", refused.Output(), StringComparison.Ordinal);
            Assert.Contains("error: lost connection to pod", refused.Output(), StringComparison.Ordinal);
        }
        finally
        {
            await KubectlAsync("delete", "pod", name, "--wait=true", "--timeout=60s");
        }
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task SecurityContext_RunAsUserFsGroupReadOnlyRootAndCapabilities_AreApplied(NodeRuntime runtime)
    {
        var lab = fixture.LabOnly("picks a node by runtime");
        var name = "sec-" + Guid.NewGuid().ToString("N")[..6];
        var manifest = _dir.WriteFile($"{name}.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: {{name}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: {{lab.NodeOf(runtime).Name}}}
              tolerations: [{key: {{LabCluster.TaintKey}}, operator: Exists}]
              terminationGracePeriodSeconds: 0
              securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000}
              volumes:
                - name: data
                  emptyDir: {}
              containers:
                - name: app
                  image: busybox:latest
                  command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
                  volumeMounts: [{name: data, mountPath: /data}]
                  securityContext:
                    readOnlyRootFilesystem: true
                    allowPrivilegeEscalation: false
                    capabilities: {drop: [ALL]}
                - name: root
                  image: busybox:latest
                  command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
                  securityContext:
                    runAsUser: 0
                    capabilities: {drop: [ALL], add: [CHOWN]}
            """);
        Assert.Equal(0, (await KubectlAsync("apply", "--validate=false", "-f", manifest)).ExitCode);
        try
        {
            var wait = await KubectlAsync("wait", "--for=condition=Ready", $"pod/{name}", "--timeout=60s");
            Assert.True(wait.ExitCode == 0, wait.Output);

            var id = await KubectlAsync("exec", name, "-c", "app", "--", "id");
            Assert.True(id.ExitCode == 0, id.Output);
            Assert.StartsWith("uid=1000 gid=3000", id.Stdout, StringComparison.Ordinal);
            Assert.Contains("2000", id.Stdout, StringComparison.Ordinal);

            // fsGroup: the emptyDir is group 2000 with setgid, so a file the user writes there belongs to group 2000.
            var write = await KubectlAsync("exec", name, "-c", "app", "--", "sh", "-c", "touch /data/f && stat -c '%u %g' /data/f && stat -c '%A %g' /data");
            Assert.True(write.ExitCode == 0, write.Output);
            Assert.Equal(["1000 2000", "drwxrwsrwx 2000"], write.Stdout.Trim().Split('\n'));

            var readOnly = await KubectlAsync("exec", name, "-c", "app", "--", "touch", "/not-writable");
            Assert.NotEqual(0, readOnly.ExitCode);
            Assert.Contains("Read-only file system", readOnly.Stderr, StringComparison.Ordinal);

            // Root with only CHOWN: chown works, reading another user's 0600 file does not (no DAC_OVERRIDE).
            var caps = await KubectlAsync("exec", name, "-c", "root", "--", "sh", "-c", "echo s > /tmp/s && chmod 600 /tmp/s && chown 1234 /tmp/s && ! cat /tmp/s 2>/dev/null && grep Cap /proc/self/status");
            Assert.True(caps.ExitCode == 0, caps.Output);
            Assert.Contains("CapEff:\t0000000000000001", caps.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await KubectlAsync("delete", "pod", name, "--wait=true", "--timeout=60s");
        }
    }

    [Fact]
    public async Task RunAsNonRoot_WithARootImage_WaitsWithCreateContainerConfigError()
    {
        var lab = fixture.LabOnly("checks the kubelet's refusal");
        var name = "nonroot-" + Guid.NewGuid().ToString("N")[..6];
        var manifest = _dir.WriteFile($"{name}.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: {{name}}}
            spec:
              terminationGracePeriodSeconds: 0
              securityContext: {runAsNonRoot: true}
              containers: [{name: app, image: busybox:latest, command: ["sleep", "3600"]}]
            """);
        Assert.Equal(0, (await KubectlAsync("apply", "--validate=false", "-f", manifest)).ExitCode);
        try
        {
            await Eventually.TrueAsync(
                async () => (await KubectlAsync("get", "pod", name, "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}")).Stdout.Trim() == "CreateContainerConfigError",
                TimeSpan.FromSeconds(30),
                "the container to wait with CreateContainerConfigError");
            var message = await KubectlAsync("get", "pod", name, "-o", "jsonpath={.status.containerStatuses[0].state.waiting.message}");
            Assert.Contains("runAsNonRoot and image will run as root", message.Stdout, StringComparison.Ordinal);
            Assert.Empty(lab.Kubelet(lab.NodeOf(NodeRuntime.Docker).Name).Find("default", name)!.Containers);
        }
        finally
        {
            await KubectlAsync("delete", "pod", name, "--wait=true", "--timeout=60s");
        }
    }

    [Fact]
    public async Task CreateNamespaceSecretServiceAccount_SendProtobuf_AndWork()
    {
        var lab = fixture.LabOnly("reads the lab's store");
        var ns = "proto-" + Guid.NewGuid().ToString("N")[..6];
        var create = await KubectlAsync("create", "namespace", ns);
        Assert.True(create.ExitCode == 0, create.Output);
        Assert.Contains($"namespace/{ns} created", create.Stdout, StringComparison.Ordinal);
        try
        {
            var secret = await KubectlAsync("create", "secret", "generic", "s1", "-n", ns, "--from-literal=key=value");
            Assert.True(secret.ExitCode == 0, secret.Output);
            var sa = await KubectlAsync("create", "serviceaccount", "builder", "-n", ns);
            Assert.True(sa.ExitCode == 0, sa.Output);
            var stored = lab.Store.Get(ResourceKind.Secrets, ns, "s1")!;
            Assert.Equal(Convert.ToBase64String("value"u8.ToArray()), (string?)stored["data"]!["key"]);
            Assert.NotNull(lab.Store.Get(ResourceKind.ServiceAccounts, ns, "builder"));
            Assert.Equal("Active", (await KubectlAsync("get", "namespace", ns, "-o", "jsonpath={.status.phase}")).Stdout.Trim());
        }
        finally
        {
            Assert.Equal(0, (await KubectlAsync("delete", "namespace", ns, "--wait=true", "--timeout=60s")).ExitCode);
        }
    }

    [Fact]
    public async Task NoExecuteTaint_EvictsPodsThatDoNotTolerateIt()
    {
        var lab = fixture.LabOnly("taints a lab node");
        var node = lab.NodeOf(NodeRuntime.Containerd).Name;
        var name = "evict-" + Guid.NewGuid().ToString("N")[..6];
        var manifest = _dir.WriteFile($"{name}.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: {{name}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: {{node}}}
              tolerations: [{key: {{LabCluster.TaintKey}}, operator: Exists, effect: NoSchedule}]
              terminationGracePeriodSeconds: 0
              containers: [{name: app, image: busybox:latest, command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]}]
            """);
        Assert.Equal(0, (await KubectlAsync("apply", "--validate=false", "-f", manifest)).ExitCode);
        Assert.Equal(0, (await KubectlAsync("wait", "--for=condition=Ready", $"pod/{name}", "--timeout=60s")).ExitCode);
        var taint = await KubectlAsync("taint", "nodes", node, "lab.ksync.dev/maintenance=now:NoExecute");
        Assert.True(taint.ExitCode == 0, taint.Output);
        try
        {
            await Eventually.TrueAsync(async () => (await KubectlAsync("get", "pod", name)).ExitCode != 0, TimeSpan.FromSeconds(60), "the pod to be evicted");
            var events = await KubectlAsync("get", "events", "--field-selector", $"involvedObject.name={name}", "-o", "jsonpath={.items[*].reason}");
            Assert.Contains("TaintManagerEviction", events.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Assert.Equal(0, (await KubectlAsync("taint", "nodes", node, "lab.ksync.dev/maintenance-")).ExitCode);
        }
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // kubectl port-forward pod/NAME 0:REMOTE (a free local port, which kubectl prints), stopped on dispose.
    private async Task<PortForward> PortForwardAsync(string pod, int remotePort, string websockets)
    {
        var (process, output) = Kubectl.Start(
            fixture.KubeconfigPath,
            _dir.Combine(".kube-cache"),
            new Dictionary<string, string> { ["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = websockets },
            "-n",
            "default",
            "port-forward",
            $"pod/{pod}",
            $"0:{remotePort}",
            "-v=6");
        var forward = new PortForward(process, output);
        try
        {
            var listening = new Regex($@"Forwarding from 127\.0\.0\.1:(\d+) -> {remotePort}");
            await Eventually.TrueAsync(() => listening.IsMatch(output()) || process.HasExited, TimeSpan.FromSeconds(30), "kubectl port-forward to listen");
            var match = listening.Match(output());
            Assert.True(match.Success, output());
            forward.LocalPort = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return forward;
        }
        catch
        {
            await forward.DisposeAsync();
            throw;
        }
    }

    // Namespaced commands run in "default" unless they name a namespace.
    private Task<ProcessResult> KubectlAsync(params string[] args)
    {
        var clusterScoped = args.Contains("-n") || args[0] == "taint" || (args.Length > 1 && args[1] is "namespace" or "nodes");
        return Kubectl.RunAsync(fixture.KubeconfigPath, _dir.Combine(".kube-cache"), clusterScoped ? args : ["-n", "default", .. args]);
    }

    private sealed class PortForward(Process process, Func<string> output) : IAsyncDisposable
    {
        public int LocalPort { get; set; }

        public Func<string> Output { get; } = output;

        public async Task<int> ExitCodeAsync()
        {
            await process.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
            return process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
            process.Dispose();
        }
    }
}
