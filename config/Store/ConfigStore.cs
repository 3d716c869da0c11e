using System.Text;
using KSync.Config.Model;

namespace KSync.Config.Store;

/// <summary>
/// Owns ksync.yaml: reads it, and changes it safely. Writes are atomic (temp file in the same folder, fsync,
/// rename) and serialized across processes by <see cref="ConfigLock"/>; keys this version does not know, at the
/// top level and in specs, survive a save; a file that does not parse is reported with line and column and never
/// overwritten (docs/architecture.md, "Safety rules": the config is never corrupted).
/// </summary>
public sealed class ConfigStore
{
    /// <summary>How long a writer waits for another writer's lock; default 10 s.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Creates a store for the file at <paramref name="path"/> (which need not exist yet).</summary>
    /// <param name="path">Path of ksync.yaml.</param>
    /// <param name="lockPath">The lock file; null = the config file's name plus <c>.lock</c>, in the same folder.</param>
    public ConfigStore(string path, string? lockPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        LockPath = lockPath ?? Path + ".lock";
    }

    /// <summary>Gets the absolute path of the config file.</summary>
    public string Path { get; }

    /// <summary>
    /// Gets the lock file's path. It is never deleted, so a file kept in a repository (the project's spec file) gets its
    /// lock elsewhere, in the ksync home.
    /// </summary>
    public string LockPath { get; }

    /// <summary>Reads the config. A missing file is an empty config.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The config.</returns>
    /// <exception cref="ConfigFileException">The file does not parse or a value has the wrong type.</exception>
    public async Task<KsyncConfig> LoadAsync(CancellationToken cancellationToken)
        => (await ReadAsync(cancellationToken)).Config;

    /// <summary>
    /// Changes the config under the lock: reads it, lets <paramref name="change"/> modify it, and writes it back
    /// atomically when <paramref name="change"/> returns without throwing.
    /// </summary>
    /// <typeparam name="T">What <paramref name="change"/> returns.</typeparam>
    /// <param name="change">Modifies the config in place; throw to leave the file as it was.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    /// <returns>What <paramref name="change"/> returned.</returns>
    /// <exception cref="ConfigFileException">The existing file does not parse; nothing is written.</exception>
    /// <exception cref="ConfigException">The lock was not free within <see cref="DefaultLockTimeout"/>.</exception>
    public async Task<T> UpdateAsync<T>(Func<KsyncConfig, T> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(folder);
        await using var held = await ConfigLock.AcquireAsync(LockPath, DefaultLockTimeout, cancellationToken);
        var document = await ReadAsync(cancellationToken);
        var result = change(document.Config);
        var text = ConfigYaml.Write(document.Config, document.Tree);
        await WriteAtomicallyAsync(text, cancellationToken);
        return result;
    }

    /// <summary>Changes the config under the lock; see <see cref="UpdateAsync{T}"/>.</summary>
    /// <param name="change">Modifies the config in place; throw to leave the file as it was.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public Task UpdateAsync(Action<KsyncConfig> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return UpdateAsync(
            config =>
            {
                change(config);
                return true;
            },
            cancellationToken);
    }

    private async Task<ConfigDocument> ReadAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(Path, Encoding.UTF8, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return new ConfigDocument(new KsyncConfig(), null);
        }
        catch (DirectoryNotFoundException)
        {
            return new ConfigDocument(new KsyncConfig(), null);
        }

        return ConfigYaml.Read(text, Path);
    }

    private Task WriteAtomicallyAsync(string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AtomicFile.Write(Path, text);
        return Task.CompletedTask;
    }
}
