using System.CommandLine;
using KSync.Config.Model;
using KSync.Config.Sources;
using KSync.Config.Store;
using KSync.Config.Validation;
using KSync.Plugin.Cluster;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync create LOCAL REMOTE</c>: adds a spec to ksync.yaml, or with <c>--project</c> to the project's spec
/// file (<see cref="ProjectFile"/>), with its local path relative to that file. Only touches that file; a running
/// watch picks the spec up by itself.
/// </summary>
internal sealed class CreateCommand : Command
{
    private readonly KsyncRootCommand _root;
    private readonly Argument<string> _local = new("local") { Description = "Local folder to sync (relative to the current directory)" };
    private readonly Argument<string> _remote = new("remote") { Description = "Absolute folder inside the container, e.g. /app" };
    private readonly Option<string?> _name = new("--name") { Description = "Spec name (default: a random name like sunny-husky)" };
    private readonly Option<string?> _pod = new("--pod", "-p") { Description = "Sync with the pod of this exact name" };
    private readonly Option<string[]> _selector = new("--selector", "-l")
    {
        Description = "Sync with pods matching this label selector (=, ==, !=, in, notin, key, !key); repeat to combine",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _container = new("--container", "-c") { Description = "Container to sync with (default: the pod's first container)" };
    private readonly Option<bool> _reload = new("--reload") { Description = "Reload the container after local changes land (default: true; --reload=false turns it off)", DefaultValueFactory = _ => true };
    private readonly Option<string?> _reloadMode = new("--reload-mode") { Description = "How to reload: restart (default), signal:<NAME> (e.g. signal:HUP) or none", HelpName = "mode" };
    private readonly Option<bool> _localReadOnly = new("--local-read-only") { Description = "Only send local changes; never take changes from the container" };
    private readonly Option<bool> _remoteReadOnly = new("--remote-read-only") { Description = "Only take changes from the container; never send local changes" };
    private readonly Option<string?> _owner = new("--owner") { Description = "Owner of the files ksync creates in the container, numeric UID or UID:GID (default: the folder's owner, or the container's user where the folder is root's or missing)", HelpName = "uid[:gid]" };
    private readonly Option<bool> _force = new("--force") { Description = "Create a missing local folder, replace a spec of the same name, allow a duplicate spec" };
    private readonly Option<bool> _project = new("--project") { Description = "Add it to the project's spec file ($KSYNC_PROJECT, else ~/.ksync/project.yaml) instead of your own, with the local path relative to that file" };

    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context and global options.</param>
    public CreateCommand(KsyncRootCommand root)
        : base("create", "Add a spec: sync a local folder with a folder in matching containers")
    {
        _root = root;
        Aliases.Add("c");
        Arguments.Add(_local);
        Arguments.Add(_remote);
        foreach (var option in new Option[] { _name, _pod, _selector, _container, _reload, _reloadMode, _localReadOnly, _remoteReadOnly, _owner, _force, _project })
        {
            Options.Add(option);
        }

        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var context = _root.Context;
        var userStore = new ConfigStore(context.Home.ConfigFile);
        var userConfig = await userStore.LoadAsync(cancellationToken);
        var settings = _root.Global.Resolve(parseResult).WithConfigDefaults(userConfig);
        var project = parseResult.GetValue(_project) ? ProjectFile.Locate(context.Home, context.Environment, context.WorkingDirectory) ?? throw NoProjectFile(context.Home) : null;
        var store = project is null ? userStore : new ConfigStore(project.Path, context.Home.ProjectLink + ".lock");
        var force = parseResult.GetValue(_force);
        var spec = new SpecDetails
        {
            Name = parseResult.GetValue(_name) ?? string.Empty,
            Pod = parseResult.GetValue(_pod) ?? string.Empty,
            Selector = [.. parseResult.GetValue(_selector) ?? []],
            ContainerName = parseResult.GetValue(_container) ?? string.Empty,
            Namespace = settings.Namespace ?? KubeClientFactory.ContextNamespace(settings, context.Environment, context.WorkingDirectory) ?? "default",
            LocalPath = Path.GetFullPath(parseResult.GetRequiredValue(_local), context.WorkingDirectory),
            RemotePath = parseResult.GetRequiredValue(_remote),
            Reload = parseResult.GetValue(_reload),
            LocalReadOnly = parseResult.GetValue(_localReadOnly),
            RemoteReadOnly = parseResult.GetValue(_remoteReadOnly),
            Owner = parseResult.GetValue(_owner),
        };
        if (parseResult.GetValue(_reloadMode) is string mode)
        {
            spec.ReloadMode = mode;
            if (mode.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                spec.Reload = false;
                spec.ReloadMode = null;
            }
            else if (!mode.StartsWith("signal:", StringComparison.OrdinalIgnoreCase))
            {
                spec.ReloadMode = mode.Equals("restart", StringComparison.OrdinalIgnoreCase) ? null : mode;
            }
        }

        var generatedName = spec.Name.Length == 0;
        var problems = SpecValidator.Validate(generatedName ? WithPlaceholderName(spec) : spec, localPathMayBeMissing: force);
        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        if (ReloadMode.Of(spec) is { IsSignal: true } signal)
        {
            signal.ApplyTo(spec);
        }

        context.Home.EnsureExists();
        var createdFolder = false;
        var replaced = false;
        try
        {
            await store.UpdateAsync(
                config =>
                {
                    if (generatedName)
                    {
                        spec.Name = SpecNames.Generate(config.Spec.Select(s => s.Name).ToHashSet(StringComparer.Ordinal));
                    }

                    // A project file's local paths are relative to it: compare and store them as watch will read them.
                    var existing = project is null ? config.Spec : SpecResolver.Resolve(new KsyncConfig(), userStore.Path, config, project.Path).Details;
                    var clashes = SpecValidator.CheckClashes(spec, existing);
                    if (clashes.Count > 0 && !force)
                    {
                        throw new ValidationException(clashes);
                    }

                    if (project is not null && userConfig.Find(spec.Name) is not null)
                    {
                        // watch would leave it out: the user's own spec of the same name wins (SpecResolver).
                        throw new ValidationException([new ValidationProblem(
                            $"Your own spec '{spec.Name}' has that name, so watch would leave the project's out.",
                            "Choose another --name, or delete your own spec first.")]);
                    }

                    var stored = spec.Clone();
                    if (project is not null)
                    {
                        stored.LocalPath = SpecResolver.StoredLocalPath(spec.LocalPath, project.Path);
                    }

                    var index = config.Spec.FindIndex(s => s.Name == spec.Name);
                    replaced = index >= 0;
                    if (replaced)
                    {
                        config.Spec[index] = stored;
                    }
                    else
                    {
                        config.Spec.Add(stored);
                    }

                    if (!Directory.Exists(spec.LocalPath))
                    {
                        Directory.CreateDirectory(spec.LocalPath);
                        createdFolder = true;
                    }
                },
                cancellationToken);
        }
        catch (Exception) when (createdFolder)
        {
            // The config was not written: take back the folder made for it.
            Directory.Delete(spec.LocalPath);
            throw;
        }

        if (createdFolder)
        {
            await context.Out.WriteLineAsync($"Created local folder {spec.LocalPath}");
        }

        var target = spec.Pod.Length > 0 ? $"pod {spec.Pod}" : "pods";
        if (spec.Selector.Count > 0)
        {
            target += $" matching {string.Join(',', spec.Selector)}";
        }

        await context.Out.WriteLineAsync($"{(replaced ? "Replaced" : "Created")} spec {spec.Name}: {spec.LocalPath} <-> {target}:{spec.RemotePath} (namespace {spec.Namespace})");
        if (project is not null)
        {
            await context.Out.WriteLineAsync($"It is in the project's spec file {project.Path}; commit it to share it.");
        }

        return ExitCodes.Success;
    }

    private static KsyncException NoProjectFile(KsyncHome home) => new(
        $"No project spec file: {ProjectFile.EnvironmentVariable} is not set and {home.ProjectLink} does not exist.",
        $"Set {ProjectFile.EnvironmentVariable}=PATH (e.g. .devcontainer/ksync.yaml), or link it: ln -s \"$PWD/.devcontainer/ksync.yaml\" {home.ProjectLink} (the Dev Container feature does this).");

    private static SpecDetails WithPlaceholderName(SpecDetails spec)
    {
        var copy = spec.Clone();
        copy.Name = "placeholder";
        return copy;
    }
}
