using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace KSync.Plugin.Cluster;

/// <content>The list, the watch request and the line-delimited event stream (Kubernetes API Concepts: watch).</content>
internal sealed partial class PodInformer
{
    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync(
            _selection.Namespace,
            fieldSelector: _selection.FieldSelector,
            labelSelector: _selection.LabelSelector,
            cancellationToken: cancellationToken);
        var changes = new List<PodEvent>();
        lock (_lock)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pod in list.Items)
            {
                var name = pod.Metadata.Name;
                seen.Add(name);
                if (!_cache.TryGetValue(name, out var known))
                {
                    changes.Add(new PodEvent(PodEventType.Added, pod));
                }
                else if (known.Metadata.ResourceVersion != pod.Metadata.ResourceVersion)
                {
                    changes.Add(new PodEvent(PodEventType.Modified, pod));
                }

                _cache[name] = pod;
            }

            foreach (var gone in _cache.Keys.Where(n => !seen.Contains(n)).ToList())
            {
                changes.Add(new PodEvent(PodEventType.Deleted, _cache[gone]));
                _cache.Remove(gone);
            }

            _resourceVersion = list.Metadata.ResourceVersion;
        }

        foreach (var change in changes)
        {
            _events.Writer.TryWrite(change);
        }

        Log.Listed(_logger, _selection.Namespace, list.Items.Count, list.Metadata.ResourceVersion ?? string.Empty);
        _ready.TrySetResult();
    }

    private async Task<Stream> OpenWatchAsync(CancellationToken cancellationToken)
    {
        var query = new StringBuilder("watch=1&allowWatchBookmarks=true");
        query.Append(CultureInfo.InvariantCulture, $"&timeoutSeconds={(int)_options.WatchTimeout.TotalSeconds}");
        query.Append("&resourceVersion=").Append(Uri.EscapeDataString(ResourceVersion ?? string.Empty));
        if (_selection.LabelSelector is { Length: > 0 } labels)
        {
            query.Append("&labelSelector=").Append(Uri.EscapeDataString(labels));
        }

        if (_selection.FieldSelector is { Length: > 0 } fields)
        {
            query.Append("&fieldSelector=").Append(Uri.EscapeDataString(fields));
        }

        var uri = new Uri(_client.BaseUri, $"api/v1/namespaces/{Uri.EscapeDataString(_selection.Namespace)}/pods?{query}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (_client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        var response = await _client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = response.StatusCode;
            response.Dispose();
            throw new HttpRequestException($"watch failed with HTTP {(int)code}: {TrimBody(body)}", null, code);
        }

        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    /// <summary>Reads events until the stream ends.</summary>
    /// <returns>True when the cache must be re-listed (410 Gone).</returns>
    private async Task<bool> ReadWatchAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            idle.CancelAfter(_options.IdleTimeout);
            string? line;
            try
            {
                line = await reader.ReadLineAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Log.WatchIdle(_logger, _selection.Namespace, _options.IdleTimeout.TotalSeconds);
                return false;
            }

            if (line is null)
            {
                // The server ended the watch (timeoutSeconds): resume from the last version.
                return false;
            }

            if (line.Length == 0)
            {
                continue;
            }

            if (Apply(line))
            {
                return true;
            }
        }
    }

    /// <summary>Applies one watch event line.</summary>
    /// <returns>True when the event is a 410 Gone error (re-list).</returns>
    private bool Apply(string line)
    {
        using var document = JsonDocument.Parse(line);
        var type = document.RootElement.GetProperty("type").GetString();
        var raw = document.RootElement.GetProperty("object").GetRawText();
        if (type == "ERROR")
        {
            var status = KubernetesJson.Deserialize<V1Status>(raw);
            if (status.Code == (int)HttpStatusCode.Gone)
            {
                Log.Expired(_logger, _selection.Namespace, ResourceVersion ?? string.Empty);
                return true;
            }

            throw new KubernetesException(status);
        }

        var pod = KubernetesJson.Deserialize<V1Pod>(raw);
        PodEvent? change = null;
        lock (_lock)
        {
            _resourceVersion = pod.Metadata?.ResourceVersion ?? _resourceVersion;
            var name = pod.Metadata?.Name;
            switch (type)
            {
                case "ADDED" or "MODIFIED" when name is not null:
                    change = new PodEvent(_cache.ContainsKey(name) ? PodEventType.Modified : PodEventType.Added, pod);
                    _cache[name] = pod;
                    break;
                case "DELETED" when name is not null:
                    _cache.Remove(name);
                    change = new PodEvent(PodEventType.Deleted, pod);
                    break;
            }
        }

        if (change is not null)
        {
            _events.Writer.TryWrite(change);
        }

        return false;
    }
}
