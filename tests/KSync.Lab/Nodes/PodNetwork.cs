using System.Globalization;
using KSync.TestKit;

namespace KSync.Lab.Nodes;

/// <summary>
/// Pod IPs without touching the host's network: a pod sandbox gets its own network namespace (loopback up, from the
/// runtime) plus an <c>eth0</c> holding the pod's IP (<c>10.88.N.x/32</c>, N per node): one end of a veth pair whose
/// other end (<c>lab0</c>) stays in the same namespace (the VM has no dummy module), so status.podIP is real and nothing
/// outside the pod's namespace routes to it. Docker sandboxes get it from the kubelet after start;
/// containerd sandboxes from the CNI plugin <see cref="WriteCniAsync"/> installs (CNI spec 0.4.0, plugin
/// <c>lab-podip</c>, plus Debian's <c>loopback</c> plugin that containerd runs itself). Nothing is ever sent to a pod
/// IP: port-forward and probes connect to 127.0.0.1 inside the pod's namespace.
/// </summary>
internal sealed class PodNetwork
{
    private readonly int _nodeIndex;
    private int _next = 1;

    /// <summary>Creates the allocator of one node.</summary>
    /// <param name="nodeIndex">1-based node index (third octet).</param>
    public PodNetwork(int nodeIndex)
    {
        _nodeIndex = nodeIndex;
    }

    /// <summary>Gives the network namespace of <paramref name="pid"/> an eth0 with a fresh pod IP.</summary>
    /// <param name="pid">A process in the pod's network namespace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pod IP.</returns>
    public async Task<string> AssignAsync(int pid, CancellationToken cancellationToken)
    {
        var ip = $"10.88.{_nodeIndex}.{(Interlocked.Increment(ref _next) % 250) + 2}";
        var script = $"{Link("eth0")} && ip addr add {ip}/32 dev eth0";
        (await ProcessRunner.RunAsync(Requires.Tool("nsenter", "util-linux"), [$"--net=/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/net", "sh", "-c", script], cancellationToken: cancellationToken)).EnsureSuccess();
        return ip;
    }

    private static string Link(string name) => $"ip link add {name} type veth peer name lab0 && ip link set lab0 up && ip link set {name} up";

    /// <summary>
    /// Writes a CNI folder for a containerd node: <c>bin/lab-podip</c> (this class's scheme as a CNI plugin),
    /// <c>bin/loopback</c> (Debian's containernetworking-plugins) and <c>net.d/10-lab.conflist</c>.
    /// </summary>
    /// <param name="directory">The folder (bin and net.d are created in it).</param>
    /// <param name="nodeIndex">1-based node index (third octet of its pod IPs).</param>
    /// <returns>A task.</returns>
    public static async Task WriteCniAsync(string directory, int nodeIndex)
    {
        var loopback = Requires.Tool("/usr/lib/cni/loopback", "containernetworking-plugins");
        var bin = Path.Combine(directory, "bin");
        var conf = Path.Combine(directory, "net.d");
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(conf);
        File.CreateSymbolicLink(Path.Combine(bin, "loopback"), loopback);
        var state = Path.Combine(directory, "state");
        Directory.CreateDirectory(state);
        var plugin = Path.Combine(bin, "lab-podip");
        await File.WriteAllTextAsync(plugin, $$"""
            #!/bin/sh
            # The lab's CNI plugin (CNI spec 0.4.0): an interface with a /32 pod IP inside the pod's network namespace
            # (a veth pair with both ends in it), nothing on the host. Errors go to stdout as a CNI error object.
            fail() { printf '{"cniVersion":"0.4.0","code":100,"msg":"lab-podip: %s"}' "$1"; exit 1; }
            case "$CNI_COMMAND" in
              VERSION) echo '{"cniVersion":"0.4.0","supportedVersions":["0.3.0","0.3.1","0.4.0"]}' ;;
              ADD)
                cat >/dev/null
                n=$( (flock 9; n=$(cat '{{state}}/next' 2>/dev/null || echo 1); echo $((n + 1)) > '{{state}}/next'; echo "$n") 9>'{{state}}/lock')
                ip="10.88.{{nodeIndex}}.$((n % 250 + 2))"
                nsenter --net="$CNI_NETNS" sh -c "{{Link("$CNI_IFNAME")}} && ip addr add $ip/32 dev $CNI_IFNAME" >/dev/null 2>&1 || fail "cannot configure $CNI_IFNAME in $CNI_NETNS"
                printf '{"cniVersion":"0.4.0","interfaces":[{"name":"%s","sandbox":"%s"}],"ips":[{"version":"4","address":"%s/32","interface":0}]}' "$CNI_IFNAME" "$CNI_NETNS" "$ip"
                ;;
              DEL|CHECK) cat >/dev/null ;;
              *) fail "unknown CNI_COMMAND $CNI_COMMAND" ;;
            esac

            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await File.WriteAllTextAsync(Path.Combine(conf, "10-lab.conflist"), """
            {"cniVersion":"0.4.0","name":"lab","plugins":[{"type":"lab-podip"}]}

            """);
    }
}
