using System.Text.Json;
using KSync.Config.Store;

namespace KSync.Engine.Identity;

/// <summary>
/// The state file (<c>~/.ksync/state.json</c>): the syncs watch set up, kept across runs so the next watch resumes them
/// (docs/architecture.md, "Folder identity"). One writer (watch, which holds the home's syncthing lock); every save
/// replaces the file atomically (temp file, fsync, rename).
/// </summary>
/// <param name="path">The file.</param>
public sealed class StateFile(string path)
{
    /// <summary>Gets the file's path.</summary>
    public string Path { get; } = path;

    /// <summary>Reads the syncs; a missing file holds none.</summary>
    /// <returns>The syncs, in file order.</returns>
    /// <exception cref="SyncEngineException">The file does not parse or has a newer format (the message says where).</exception>
    public IReadOnlyList<SyncRecord> Load()
    {
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }

        StateDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(text, StateJsonContext.Default.StateDocument);
        }
        catch (JsonException ex)
        {
            throw Unreadable($"does not parse ({ex.Message})", ex);
        }

        if (document is null)
        {
            throw Unreadable("is empty");
        }

        if (document.Version > StateDocument.CurrentVersion)
        {
            throw Unreadable($"has format version {document.Version}, newer than this ksync's {StateDocument.CurrentVersion}");
        }

        return document.Syncs;
    }

    /// <summary>Replaces the file with <paramref name="syncs"/>, atomically.</summary>
    /// <param name="syncs">Every sync to keep.</param>
    /// <exception cref="IOException">The home folder is not writable.</exception>
    public void Save(IReadOnlyList<SyncRecord> syncs)
    {
        var text = JsonSerializer.Serialize(new StateDocument { Syncs = [.. syncs] }, StateJsonContext.Default.StateDocument);

        // Synchronous: callers hold the identities' lock, and a state file is a few KB.
        AtomicFile.Write(Path, text + "\n");
    }

    private SyncEngineException Unreadable(string what, Exception? inner = null) => new(
        $"The sync state file {Path} {what}.",
        "Move it away to start over: every sync then begins with a first sync (local files win), and folders it named are removed as leftovers.",
        inner);
}
