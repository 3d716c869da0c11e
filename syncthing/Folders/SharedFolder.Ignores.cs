using KSync.Syncthing.Ignores;

namespace KSync.Syncthing.Folders;

/// <summary>
/// Ignores on both sides. Local: the user's <c>.stignore</c> lines first, ksync's block after (<see cref="StignoreFile"/>).
/// Remote: the same patterns through <c>POST /rest/db/ignores</c> (syncthing REST: Database Endpoints); when the local
/// file uses <c>#include</c>, the expanded patterns are sent, since the included file does not exist remotely.
/// </summary>
public sealed partial class SharedFolder
{
    /// <summary>
    /// Re-reads <c>.stignore</c> and <c>.gitignore</c> and applies the result on both sides (called by the fast path
    /// when either file changes at the folder root).
    /// </summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when both sides have the new ignores.</returns>
    /// <exception cref="SyncthingException">A REST call failed (e.g. an invalid pattern).</exception>
    public async Task ApplyIgnoresAsync(CancellationToken cancellationToken)
    {
        await _ignoreGate.WaitAsync(cancellationToken);
        try
        {
            await ApplyLocalIgnoresAsync(WriteLocalIgnoreFile(), cancellationToken);
            await ApplyRemoteIgnoresAsync(cancellationToken);
        }
        finally
        {
            _ignoreGate.Release();
        }
    }

    private async Task ReapplyIgnoresQuietlyAsync()
    {
        try
        {
            await ApplyIgnoresAsync(_lifetime.Token);
        }
        catch (SyncthingException ex)
        {
            Log.IgnoresFailed(_logger, Spec.FolderId, ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Makes the local syncthing load the file's lines now, but only when they differ from what it has: posting
    /// rewrites <c>.stignore</c>, which the fast path reports as a change, which must not post again (a loop).
    /// </summary>
    private async Task ApplyLocalIgnoresAsync(string[]? fileLines, CancellationToken cancellationToken)
    {
        var current = await _local.Client.GetIgnoresAsync(Spec.FolderId, cancellationToken);
        IReadOnlyList<string> wanted = fileLines ?? [];
        if (!(current.Ignore ?? []).SequenceEqual(wanted, StringComparer.Ordinal))
        {
            await _local.Client.SetIgnoresAsync(Spec.FolderId, wanted, cancellationToken);
        }
    }

    /// <summary>The patterns the local syncthing applies, with <c>#include</c> expanded (what the remote gets too).</summary>
    private async Task<IReadOnlyList<string>> LocalIgnorePatternsAsync(CancellationToken cancellationToken)
    {
        var local = await _local.Client.GetIgnoresAsync(Spec.FolderId, cancellationToken);
        var lines = local.Ignore ?? [];
        var usesInclude = lines.Any(l => l.TrimStart().StartsWith("#include", StringComparison.Ordinal));
        return usesInclude ? local.Expanded ?? [] : lines;
    }

    private async Task ApplyRemoteIgnoresAsync(CancellationToken cancellationToken)
    {
        var remoteLines = await LocalIgnorePatternsAsync(cancellationToken);
        var current = await _remote.Client.GetIgnoresAsync(Spec.FolderId, cancellationToken);
        if (!(current.Ignore ?? []).SequenceEqual(remoteLines, StringComparer.Ordinal))
        {
            await _remote.Client.SetIgnoresAsync(Spec.FolderId, remoteLines, cancellationToken);
        }
    }

    /// <summary>Writes the local <c>.stignore</c> when its content must change.</summary>
    /// <returns>The file's lines when it exists afterwards, or null when there is none.</returns>
    private string[]? WriteLocalIgnoreFile()
    {
        var path = Path.Combine(Spec.LocalPath, StignoreFile.FileName);
        var gitignorePath = Path.Combine(Spec.LocalPath, ".gitignore");
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        var gitignore = File.Exists(gitignorePath) ? File.ReadAllText(gitignorePath) : null;
        var content = StignoreFile.Compose(existing, StignoreFile.Generate(Spec.Ignores, gitignore));
        if (content is null)
        {
            return existing is null ? null : Lines(existing);
        }

        if (!string.Equals(content, existing, StringComparison.Ordinal))
        {
            var temp = path + ".ksync-tmp";
            File.WriteAllText(temp, content);
            File.Move(temp, path, overwrite: true);
        }

        return Lines(content);
    }

    /// <summary>
    /// Removes ksync's block from the <c>.stignore</c> of <paramref name="localPath"/> (deleting the file when only the
    /// block was in it); the user's own lines stay. Done when ksync stops syncing the folder for good.
    /// </summary>
    /// <param name="localPath">The local folder.</param>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void RemoveLocalIgnoreBlock(string localPath)
    {
        var path = Path.Combine(localPath, StignoreFile.FileName);
        if (!File.Exists(path))
        {
            return;
        }

        var existing = File.ReadAllText(path);
        var content = StignoreFile.Compose(existing, []);
        if (content is null)
        {
            File.Delete(path);
        }
        else if (!string.Equals(content, existing, StringComparison.Ordinal))
        {
            File.WriteAllText(path, content);
        }
    }

    private static string[] Lines(string content) => content.TrimEnd('\n').Split('\n');
}
