using k8s;
using KSync.Config.Model;
using KSync.Config.Sources;
using KSync.Config.Store;
using KSync.Config.Validation;
using KSync.Plugin.Cluster;
using KSync.Proto.Radar.V1;

namespace KSync.Plugin.Doctor;

/// <content>
/// Per spec and running container: the owner ksync gives the files it creates there, and whether the app's user may
/// write in the folder (radar's <c>PrepareFolder</c> as a dry run; docs/architecture.md, "Files land usable").
/// </content>
internal static partial class DoctorChecks
{
    private static async Task<IReadOnlyList<(string Name, CheckResult Result)>> OwnersAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        const string name = "Owner";
        if (context.Nodes is not { Count: > 0 })
        {
            return [(name, CheckResult.Skip("needs the node agents"))];
        }

        var home = context.Cli.Home;
        ResolvedSpecs specs;
        try
        {
            specs = await SpecFiles.LoadAsync(new ConfigStore(home.ConfigFile), ProjectFile.Locate(home, context.Cli.Environment, context.Cli.WorkingDirectory), cancellationToken);
        }
        catch (ConfigFileException ex)
        {
            return [(name, CheckResult.Fail(ex.Message, "Fix the spec file it names (kubectl ksync get shows where)."))];
        }

        if (specs.Details.Count == 0)
        {
            return [(name, CheckResult.Skip("no specs"))];
        }

        var results = new List<(string, CheckResult)>();
        foreach (var spec in specs.Details)
        {
            var matcher = new PodMatcher(
                spec.Pod.Length == 0 ? null : spec.Pod,
                spec.Selector.Count == 0 ? null : LabelSelector.Parse(spec.Selector),
                spec.ContainerName.Length == 0 ? null : spec.ContainerName);
            var selection = matcher.Selection(spec.Namespace);
            k8s.Models.V1PodList pods;
            try
            {
                pods = await context.Connection!.Client.CoreV1.ListNamespacedPodAsync(
                    spec.Namespace, labelSelector: selection.LabelSelector, fieldSelector: selection.FieldSelector, cancellationToken: cancellationToken);
            }
            catch (k8s.Autorest.HttpOperationException ex)
            {
                results.Add(($"{name} of {spec.Name}", CheckResult.Fail($"cannot list pods in {spec.Namespace}: {(int)ex.Response.StatusCode} {ex.Response.ReasonPhrase}")));
                continue;
            }

            var containers = pods.Items.Select(matcher.Match).OfType<Engine.Syncing.RemoteContainer>().ToList();
            if (containers.Count == 0)
            {
                results.Add(($"{name} of {spec.Name}", CheckResult.Skip("no running container matches")));
                continue;
            }

            foreach (var container in containers)
            {
                results.Add(($"{name} of {spec.Name} in {container.Key}", await OwnerAsync(context, spec, container, cancellationToken)));
            }
        }

        return results;
    }

    private static Task<CheckResult> OwnerAsync(DoctorContext context, SpecDetails spec, Engine.Syncing.RemoteContainer container, CancellationToken cancellationToken)
        => WithRadarAsync(context, container.NodeName, "PrepareFolder", async radar =>
        {
            var request = new PrepareFolderRequest { ContainerId = container.ContainerId, RemotePath = spec.RemotePath, DryRun = true };
            if (SpecOwner.TryParse(spec.Owner, out var owner))
            {
                request.OwnerUid = owner.Uid;
                if (owner.Gid is { } gid)
                {
                    request.OwnerGid = gid;
                }
            }

            var reply = await radar.Client.PrepareFolderAsync(request, deadline: Deadline(), cancellationToken: cancellationToken);
            var detail = $"{spec.RemotePath} gets {reply.OwnerUid}:{reply.OwnerGid} ({reply.OwnerReason}); the app runs as {reply.ProcessUid}:{reply.ProcessGid}"
                + (reply.Created.Count > 0 ? $"; ksync creates {reply.Created.Count} directories" : string.Empty);
            return reply.AppCanWrite
                ? CheckResult.Pass(detail + " and can write there")
                : new CheckResult(CheckOutcome.Warning, detail + $" and CANNOT write there: files sync, but the app cannot change them. Use --owner {reply.ProcessUid}:{reply.ProcessGid}, or a volume (emptyDir) for the code");
        }, cancellationToken);
}
