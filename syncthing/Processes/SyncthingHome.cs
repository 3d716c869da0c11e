using System.Diagnostics;
using System.Xml.Linq;
using KSync.Syncthing.Versions;

namespace KSync.Syncthing.Processes;

/// <summary>
/// The managed local syncthing's home folder (<c>&lt;KSYNC_HOME&gt;/syncthing</c>): certificate and key (so the device
/// ID), <c>config.xml</c>, database, and ksync's API key file. Kept across runs so the device ID stays the same and
/// remote devices need not be re-paired (the original ksync wiped it on every start).
/// </summary>
internal sealed class SyncthingHome
{
    /// <summary>How long <c>syncthing generate</c> may take.</summary>
    public static readonly TimeSpan GenerateTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Creates the home object; nothing is touched on disk.</summary>
    /// <param name="directory">The folder.</param>
    public SyncthingHome(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>Gets the absolute path of the folder.</summary>
    public string Directory { get; }

    /// <summary>Gets the path of syncthing's <c>config.xml</c>.</summary>
    public string ConfigFile => Path.Combine(Directory, "config.xml");

    /// <summary>Gets the path of syncthing's certificate, which defines the device ID.</summary>
    public string CertificateFile => Path.Combine(Directory, "cert.pem");

    /// <summary>Gets the path of the file holding ksync's API key for this syncthing (mode 0600).</summary>
    public string ApiKeyFile => Path.Combine(Directory, "ksync-apikey");

    /// <summary>Gets a value indicating whether a certificate and config exist.</summary>
    public bool IsGenerated => File.Exists(CertificateFile) && File.Exists(ConfigFile);

    /// <summary>Runs <c>syncthing generate</c> when no certificate or config exists yet (about 0.05 s).</summary>
    /// <param name="binary">The syncthing to run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>True when a new identity was generated.</returns>
    /// <exception cref="SyncthingException">generate failed; the message holds its output.</exception>
    public async Task<bool> EnsureGeneratedAsync(SyncthingBinary binary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binary);
        if (IsGenerated)
        {
            return false;
        }

        CreatePrivateDirectory(Directory);
        var info = new ProcessStartInfo(binary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in binary.Capabilities.GenerateArguments(Directory))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["STNODEFAULTFOLDER"] = "1";
        using var process = Process.Start(info) ?? throw new SyncthingException($"'{binary.Path} generate' did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(GenerateTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new SyncthingException($"'syncthing generate' did not finish within {GenerateTimeout.TotalSeconds:0} s.");
        }

        var output = (await stdout + await stderr).Trim();
        return process.ExitCode == 0 && IsGenerated
            ? true
            : throw new SyncthingException(
                $"'syncthing generate --home={Directory}' failed (exit {process.ExitCode}): {output}",
                $"Check that {Directory} is writable, or remove it to start over (the device ID will change).");
    }

    /// <summary>
    /// Reads ksync's API key for this home, or creates one: 32 random bytes from a cryptographic generator as
    /// URL-safe base64 (43 characters), stored in <see cref="ApiKeyFile"/> readable only by the user (0600).
    /// </summary>
    /// <returns>The API key.</returns>
    public string ReadOrCreateApiKey()
    {
        if (File.Exists(ApiKeyFile))
        {
            var existing = File.ReadAllText(ApiKeyFile).Trim();
            if (existing.Length >= 32)
            {
                return existing;
            }
        }

        CreatePrivateDirectory(Directory);
        var key = ApiKey.Generate();
        WritePrivateFile(ApiKeyFile, key + "\n");
        return key;
    }

    /// <summary>
    /// Rewrites <c>config.xml</c> before a start so syncthing comes up already safe (this avoids the first-start window
    /// of docs/architecture.md, "syncthing facts", where a fresh config listens on :22000 and uses discovery and relays until a PATCH
    /// lands): GUI/API on 127.0.0.1:<paramref name="apiPort"/> with <paramref name="apiKey"/> (so the generated key
    /// stops working: the command-line flags apply to one run only), one sync listener on tcp://127.0.0.1:<paramref name="listenPort"/>, and global and
    /// local discovery, relays, NAT traversal, usage and crash reporting, auto-upgrade and the browser all off, and
    /// normal CPU priority (<c>setLowPriority</c> false).
    /// </summary>
    /// <param name="apiPort">GUI/REST port.</param>
    /// <param name="listenPort">Sync protocol port.</param>
    /// <param name="apiKey">The API key.</param>
    /// <exception cref="SyncthingException">config.xml is missing or is not syncthing's XML.</exception>
    public void PrepareConfig(int apiPort, int listenPort, string apiKey)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Load(ConfigFile, LoadOptions.PreserveWhitespace);
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or IOException)
        {
            throw new SyncthingException($"syncthing's config {ConfigFile} cannot be read: {ex.Message}", $"Remove {Directory} to start over (the device ID will change).", ex);
        }

        var root = doc.Root ?? throw new SyncthingException($"syncthing's config {ConfigFile} is empty.", $"Remove {Directory} to start over.");
        var gui = Child(root, "gui");
        gui.SetAttributeValue("enabled", "true");
        gui.SetAttributeValue("tls", "false");
        Child(gui, "address").Value = $"127.0.0.1:{apiPort}";
        Child(gui, "apikey").Value = apiKey;

        var options = Child(root, "options");
        options.Elements("listenAddress").Remove();
        options.AddFirst(new XElement("listenAddress", $"tcp://127.0.0.1:{listenPort}"));
        Child(options, "globalAnnounceEnabled").Value = "false";
        Child(options, "localAnnounceEnabled").Value = "false";
        Child(options, "relaysEnabled").Value = "false";
        Child(options, "natEnabled").Value = "false";
        Child(options, "urAccepted").Value = "-1";
        Child(options, "crashReportingEnabled").Value = "false";
        Child(options, "autoUpgradeIntervalH").Value = "0";
        Child(options, "startBrowser").Value = "false";
        Child(options, "reconnectionIntervalS").Value = "5";

        // syncthing renices itself to 11 by default; a busy machine (a build running while saving) then delays the
        // very scans and pulls ksync waits on. Latency is the product here.
        Child(options, "setLowPriority").Value = "false";

        // A default folder (~/Sync) is never wanted in ksync's private syncthing.
        root.Elements("folder").Where(f => (string?)f.Attribute("id") == "default").Remove();

        var temp = ConfigFile + ".ksync-tmp";
        using (var stream = OpenPrivate(temp))
        {
            doc.Save(stream, SaveOptions.DisableFormatting);
        }

        File.Move(temp, ConfigFile, overwrite: true);
    }

    /// <summary>Creates a folder readable only by the user on Unix (0700).</summary>
    /// <param name="path">The folder.</param>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Writes a file readable only by the user on Unix (0600), replacing it atomically.</summary>
    /// <param name="path">The file.</param>
    /// <param name="content">Text content.</param>
    public static void WritePrivateFile(string path, string content)
    {
        var temp = path + ".tmp";
        using (var stream = OpenPrivate(temp))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static FileStream OpenPrivate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to new files; an existing file keeps its mode unless set.
            File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return stream;
    }

    private static XElement Child(XElement parent, string name)
    {
        var child = parent.Element(name);
        if (child is null)
        {
            child = new XElement(name);
            parent.Add(child);
        }

        return child;
    }
}
