using System.Net;
using k8s;
using k8s.Autorest;
using KSync.Plugin.Cluster.Manifests;

namespace KSync.Plugin.Cluster;

/// <content>Removing everything init created (<c>clean --remote</c>), in reverse creation order.</content>
internal sealed partial class ClusterInstaller
{
    /// <summary>Deletes the DaemonSet, Role, Secret, ServiceAccount and namespace; waits (bounded) until the namespace is gone.</summary>
    /// <param name="ns">The agent namespace.</param>
    /// <param name="timeout">How long to wait for the namespace to go.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many objects were deleted (0 when nothing was installed).</returns>
    public async Task<int> RemoveAsync(string ns, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deleted = 0;
        deleted += await DeleteAsync("daemonset", NodeAgent.Name, ct => Client.AppsV1.DeleteNamespacedDaemonSetAsync(NodeAgent.Name, ns, cancellationToken: ct), cancellationToken);
        deleted += await DeleteAsync("role", NodeAgent.UserRoleName, ct => Client.RbacAuthorizationV1.DeleteNamespacedRoleAsync(NodeAgent.UserRoleName, ns, cancellationToken: ct), cancellationToken);
        deleted += await DeleteAsync("secret", NodeAgent.Name, ct => Client.CoreV1.DeleteNamespacedSecretAsync(NodeAgent.Name, ns, cancellationToken: ct), cancellationToken);
        deleted += await DeleteAsync("serviceaccount", NodeAgent.Name, ct => Client.CoreV1.DeleteNamespacedServiceAccountAsync(NodeAgent.Name, ns, cancellationToken: ct), cancellationToken);
        deleted += await DeleteAsync("namespace", ns, ct => Client.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: ct), cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                try
                {
                    await Client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: deadline.Token);
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    return deleted;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(300), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await _progress.WriteLineAsync($"namespace/{ns} is still terminating after {timeout.TotalSeconds:0} s; the cluster finishes it in the background.");
            return deleted;
        }
    }

    private async Task<int> DeleteAsync(string kind, string name, Func<CancellationToken, Task> delete, CancellationToken cancellationToken)
    {
        try
        {
            await delete(cancellationToken);
            await _progress.WriteLineAsync($"{kind}/{name}: deleted");
            return 1;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            await _progress.WriteLineAsync($"{kind}/{name}: not found (already gone)");
            return 0;
        }
    }
}
