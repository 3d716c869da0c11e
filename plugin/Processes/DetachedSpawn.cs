using System.Collections;
using System.Runtime.InteropServices;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Processes;

/// <summary>
/// Starts a process that outlives this one, on Linux, with posix_spawn(3): in a session of its own
/// (<c>POSIX_SPAWN_SETSID</c>, glibc 2.26+ and musl), stdin from <c>/dev/null</c>, stdout and stderr appended to a
/// file, default signal dispositions and an empty signal mask. Its output file descriptors ARE the file, so whatever
/// it writes — including what the .NET runtime prints when it aborts before any managed code could log (a missing
/// libssl) — lands in the file; nothing goes through a pipe that dies with this process.
/// </summary>
internal static unsafe partial class DetachedSpawn
{
    // Opaque libc types: posix_spawn_file_actions_t and posix_spawnattr_t are 80 and 336 bytes on glibc and musl
    // (x86_64, aarch64), sigset_t 128; the buffers are larger so a libc with bigger ones is still safe.
    private const int OpaqueBytes = 1024;

    // <fcntl.h> and <spawn.h> on Linux (the same on x86_64 and aarch64, glibc and musl).
    private const int OpenReadOnly = 0x0;
    private const int OpenWriteOnly = 0x1;
    private const int OpenCreate = 0x40;
    private const int OpenAppend = 0x400;
    private const short SetSignalDefaults = 0x04;
    private const short SetSignalMask = 0x08;
    private const short SetSession = 0x80;
    private const int NoHang = 1;
    private const int NoChild = 10;

    // Signals put back to their default action: a caller in a non-interactive shell's background job has SIGINT and
    // SIGQUIT ignored, and ignored signals survive exec. 1-31 without SIGKILL (9) and SIGSTOP (19).
    private static readonly int[] s_defaultSignals = [.. Enumerable.Range(1, 31).Where(s => s is not 9 and not 19)];

    /// <summary>Starts <paramref name="path"/> detached.</summary>
    /// <param name="path">Absolute path of the executable.</param>
    /// <param name="arguments">Arguments after argv[0] (argv[0] is <paramref name="path"/>).</param>
    /// <param name="environment">Variables to set or replace in a copy of this process's environment.</param>
    /// <param name="workingDirectory">The child's working directory.</param>
    /// <param name="outputFile">File for stdout and stderr: created (mode 0600) or appended to.</param>
    /// <returns>The child's PID.</returns>
    /// <exception cref="KsyncException">posix_spawn failed (the message names the errno).</exception>
    public static int Start(string path, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string outputFile)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var strings = new List<nint>();
        var actions = NativeMemory.AllocZeroed(OpaqueBytes);
        var attributes = NativeMemory.AllocZeroed(OpaqueBytes);
        var signals = NativeMemory.AllocZeroed(OpaqueBytes);
        var actionsReady = false;
        var attributesReady = false;
        try
        {
            Check(FileActionsInit(actions), "posix_spawn_file_actions_init");
            actionsReady = true;
            Check(AddOpen(actions, 0, "/dev/null", OpenReadOnly, 0), "posix_spawn_file_actions_addopen");
            Check(AddOpen(actions, 1, outputFile, OpenWriteOnly | OpenCreate | OpenAppend, Convert.ToInt32("600", 8)), "posix_spawn_file_actions_addopen");
            Check(AddDup2(actions, 1, 2), "posix_spawn_file_actions_adddup2");
            Check(AddChdir(actions, workingDirectory), "posix_spawn_file_actions_addchdir_np");

            Check(AttrInit(attributes), "posix_spawnattr_init");
            attributesReady = true;
            Check(AttrSetFlags(attributes, SetSession | SetSignalDefaults | SetSignalMask), "posix_spawnattr_setflags");
            // sigemptyset and sigaddset fail only for invalid signal numbers, which these are not.
            _ = SignalEmptySet(signals);
            Check(AttrSetSignalMask(attributes, signals), "posix_spawnattr_setsigmask");
            foreach (var signal in s_defaultSignals)
            {
                _ = SignalAdd(signals, signal);
            }

            Check(AttrSetSignalDefaults(attributes, signals), "posix_spawnattr_setsigdefault");

            var argv = Strings(strings, [path, .. arguments]);
            var envp = Strings(strings, EnvironmentWith(environment));
            fixed (nint* argvPointer = argv)
            fixed (nint* envpPointer = envp)
            {
                Check(Spawn(out var pid, path, actions, attributes, argvPointer, envpPointer), $"posix_spawn {path}");
                return pid;
            }
        }
        finally
        {
            if (actionsReady)
            {
                _ = FileActionsDestroy(actions);
            }

            if (attributesReady)
            {
                _ = AttrDestroy(attributes);
            }

            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
            foreach (var text in strings)
            {
                Marshal.FreeCoTaskMem(text);
            }
        }
    }

    /// <summary>Reaps the child <paramref name="pid"/> if it has exited (waitpid with WNOHANG).</summary>
    /// <param name="pid">A PID returned by <see cref="Start"/>.</param>
    /// <returns>How it ended ("exit code 1", "killed by signal 6 (SIGABRT)"), or null while it runs.</returns>
    public static string? TryReap(int pid)
    {
        var status = 0;
        var result = WaitPid(pid, &status, NoHang);
        if (result == 0)
        {
            return null;
        }

        if (result < 0)
        {
            // ECHILD: somebody else reaped it; it is gone, how it ended is unknown.
            return Marshal.GetLastPInvokeError() == NoChild && !PidFile.IsAlive(pid) ? "exited" : null;
        }

        var signal = status & 0x7f;
        return signal == 0 ? $"exit code {(status >> 8) & 0xff}" : $"killed by signal {signal}{SignalName(signal)}";
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => string.Empty,
    };

    private static List<string> EnvironmentWith(IReadOnlyDictionary<string, string> overrides)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        foreach (var (key, value) in overrides)
        {
            variables[key] = value;
        }

        return [.. variables.Select(v => $"{v.Key}={v.Value}")];
    }

    /// <summary>A NULL-terminated array of UTF-8 C strings; the strings are recorded in <paramref name="owned"/> for freeing.</summary>
    private static nint[] Strings(List<nint> owned, List<string> values)
    {
        var array = new nint[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            owned.Add(array[i]);
        }

        return array;
    }

    private static void Check(int error, string what)
    {
        // posix_spawn and its helpers return the error number instead of setting errno.
        if (error != 0)
        {
            throw new KsyncException($"Could not start the background watch: {what} failed with errno {error}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Spawn(out int pid, string path, void* fileActions, void* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddOpen(void* fileActions, int fd, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int AddDup2(void* fileActions, int fd, int newFd);

    // glibc 2.29+, musl 1.1.24+.
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddChdir(void* fileActions, string path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttrInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttrDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttrSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttrSetSignalMask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttrSetSignalDefaults(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SignalEmptySet(void* signals);

    [LibraryImport("libc", EntryPoint = "sigaddset")]
    private static partial int SignalAdd(void* signals, int signal);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, int* status, int options);
}
