using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using KSync.Syncthing.Versions;

namespace KSync.Syncthing.Install;

/// <summary>
/// Installs an official syncthing release archive into a bin folder: downloads it (with a progress bar), verifies its
/// SHA-256 against the pinned table (<see cref="SyncthingRelease"/>), extracts ONLY the executable, makes it
/// executable and moves it into place atomically. On a bad checksum, an HTTP error or an interrupted download nothing
/// is installed and no partial file is left behind.
/// </summary>
public sealed class SyncthingInstaller
{
    /// <summary>Environment variable that overrides the download base address (same as <c>--syncthing-url</c>).</summary>
    public const string UrlEnvironmentVariable = "KSYNC_SYNCTHING_URL";

    /// <summary>How long connecting to the download server may take.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long the server may go silent in the middle of a download.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpMessageHandler? _handler;

    /// <summary>Creates an installer.</summary>
    /// <param name="handler">HTTP handler to use, or null for a default <see cref="SocketsHttpHandler"/>.</param>
    public SyncthingInstaller(HttpMessageHandler? handler = null)
    {
        _handler = handler;
    }

    /// <summary>Downloads, verifies and installs <paramref name="asset"/> as <c>&lt;binDirectory&gt;/syncthing</c>.</summary>
    /// <param name="baseUrl">Base address of releases; <c>v{version}/{file}</c> is appended.</param>
    /// <param name="asset">The archive to install, with its expected SHA-256.</param>
    /// <param name="binDirectory">Folder that receives the executable (created when missing).</param>
    /// <param name="progress">Where to draw the progress bar (stderr), or null for none.</param>
    /// <param name="cancellationToken">Cancels the download; nothing is left behind.</param>
    /// <returns>The path of the installed executable.</returns>
    /// <exception cref="SyncthingException">
    /// The server answered with an error (404 …), the download was interrupted, the checksum does not match, or the
    /// archive holds no executable. Nothing was installed.
    /// </exception>
    public async Task<string> InstallAsync(Uri baseUrl, SyncthingReleaseAsset asset, string binDirectory, TextWriter? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(asset);
        var url = SyncthingRelease.DownloadUrl(baseUrl, asset);
        Directory.CreateDirectory(binDirectory);
        var token = Guid.NewGuid().ToString("N")[..8];
        var archivePath = Path.Combine(binDirectory, $".{asset.FileName}.{token}.part");
        var binaryTemp = Path.Combine(binDirectory, $".{asset.ExecutableName}.{token}.tmp");
        var target = Path.Combine(binDirectory, asset.ExecutableName);
        try
        {
            var actual = await DownloadAsync(url, archivePath, asset.FileName, progress, cancellationToken);
            if (!string.Equals(actual, asset.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new SyncthingException(
                    $"The SHA-256 of {url} is {actual}, but ksync expects {asset.Sha256} for {asset.FileName}; nothing was installed.",
                    "The download is corrupt or not the official release. Check --syncthing-url / KSYNC_SYNCTHING_URL and try again.");
            }

            await ExtractExecutableAsync(archivePath, asset, binaryTemp, cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(binaryTemp, (UnixFileMode)0b111_101_101);
            }

            File.Move(binaryTemp, target, overwrite: true);
            return target;
        }
        finally
        {
            TryDelete(archivePath);
            TryDelete(binaryTemp);
        }
    }

    /// <summary>
    /// What <c>kubectl ksync init --local</c> does: installs the pinned release for this machine into
    /// <c>&lt;KSYNC_HOME&gt;/bin</c>, unless that syncthing is already there.
    /// </summary>
    /// <param name="binDirectory">The ksync bin folder.</param>
    /// <param name="baseUrl">Base address of releases.</param>
    /// <param name="progress">Where to draw the progress bar (stderr), or null.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The executable's path and whether it was already installed.</returns>
    /// <exception cref="SyncthingException">This platform has no pinned archive, or the install failed.</exception>
    public async Task<(string Path, bool AlreadyInstalled)> InstallPinnedAsync(string binDirectory, Uri baseUrl, TextWriter? progress, CancellationToken cancellationToken)
    {
        var asset = SyncthingRelease.ForCurrentMachine();
        var target = Path.Combine(binDirectory, asset.ExecutableName);
        if (File.Exists(target))
        {
            try
            {
                var version = await SyncthingBinaryResolver.ReadVersionAsync(target, cancellationToken);
                if (version.Text == "v" + SyncthingRelease.Version)
                {
                    return (target, true);
                }
            }
            catch (SyncthingException)
            {
                // Not runnable or not syncthing: replace it.
            }
        }

        return (await InstallAsync(baseUrl, asset, binDirectory, progress, cancellationToken), false);
    }

    /// <summary>Resolves the base address from <c>--syncthing-url</c>, then <c>KSYNC_SYNCTHING_URL</c>, then the default.</summary>
    /// <param name="flag">Value of <c>--syncthing-url</c>, or null.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>An absolute http(s) address.</returns>
    /// <exception cref="SyncthingException">The value is not an absolute http or https URL.</exception>
    public static Uri ResolveBaseUrl(string? flag, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (text, source) = !string.IsNullOrWhiteSpace(flag)
            ? (flag, "--syncthing-url")
            : (environment(UrlEnvironmentVariable), UrlEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return SyncthingRelease.DefaultBaseUrl;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new SyncthingException(
                $"{source} must be an absolute http or https URL, got '{text}'.",
                $"Use the address that holds the release folders, e.g. {SyncthingRelease.DefaultBaseUrl} (ksync appends v{SyncthingRelease.Version}/<archive>).");
    }

    private async Task<string> DownloadAsync(Uri url, string archivePath, string label, TextWriter? progress, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SyncthingException(
                $"Could not download {url}: {ex.Message}",
                "Check your network and --syncthing-url / KSYNC_SYNCTHING_URL.",
                ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new SyncthingException(
                    $"Downloading {url} failed: {(int)response.StatusCode} {response.ReasonPhrase}; nothing was installed.",
                    response.StatusCode == HttpStatusCode.NotFound
                        ? $"The server has no syncthing v{SyncthingRelease.Version} archive there; check --syncthing-url / KSYNC_SYNCTHING_URL."
                        : "Try again later, or check --syncthing-url / KSYNC_SYNCTHING_URL.");
            }

            var total = response.Content.Headers.ContentLength;
            var bar = progress is null ? null : new DownloadProgressBar(progress, label);
            long received = 0;
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                await using var file = new FileStream(archivePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                var buffer = new byte[81920];
                while (true)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    idle.CancelAfter(ReadTimeout);
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, idle.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw Interrupted(url, received, total, $"no data for {ReadTimeout.TotalSeconds:0} s", null);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException or SocketException)
                    {
                        throw Interrupted(url, received, total, ex.Message, ex);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    received += read;
                    bar?.Report(received, total);
                }

                if (total is long expected && received != expected)
                {
                    throw Interrupted(url, received, total, "the connection closed early", null);
                }

                return Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            finally
            {
                bar?.Finish();
            }
        }
    }

    private static SyncthingException Interrupted(Uri url, long received, long? total, string reason, Exception? inner)
        => new(
            $"The download of {url} was interrupted after {received} of {(total is long t ? t.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")} bytes ({reason}); nothing was installed.",
            "Run 'kubectl ksync init --local' again.",
            inner);

    private static async Task ExtractExecutableAsync(string archivePath, SyncthingReleaseAsset asset, string destination, CancellationToken cancellationToken)
    {
        var wanted = asset.TopFolder + "/" + asset.ExecutableName;
        if (asset.IsZip)
        {
            using var zip = await ZipFile.OpenReadAsync(archivePath, cancellationToken);
            var entry = zip.Entries.FirstOrDefault(e => e.FullName == wanted) ?? throw NoExecutable(asset, wanted);
            await entry.ExtractToFileAsync(destination, overwrite: false, cancellationToken);
            return;
        }

        await using var raw = File.OpenRead(archivePath);
        await using var gzip = new GZipStream(raw, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (name == wanted && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is not null)
            {
                await using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
                await entry.DataStream.CopyToAsync(output, cancellationToken);
                return;
            }
        }

        throw NoExecutable(asset, wanted);
    }

    private static SyncthingException NoExecutable(SyncthingReleaseAsset asset, string wanted)
        => new($"{asset.FileName} holds no '{wanted}'; nothing was installed.", "The archive is not an official syncthing release archive.");

    private HttpClient CreateClient()
    {
        var handler = _handler ?? new SocketsHttpHandler { ConnectTimeout = ConnectTimeout, AutomaticDecompression = DecompressionMethods.None };
        return new HttpClient(handler, disposeHandler: _handler is null) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
