using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Polly.Retry;

namespace KSync.Syncthing.Client;

/// <summary>Request plumbing: headers, per-attempt timeouts, retries, and errors that name the endpoint.</summary>
public sealed partial class SyncthingClient
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    private ResiliencePipeline CreateRetryPipeline()
        => _options.MaxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // Transient: no connection (syncthing restarting, tunnel re-opening), 502/503/504, an attempt timeout.
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutException>(),
                MaxRetryAttempts = _options.MaxRetries,
                Delay = _options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    Log.Retrying(_logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private async Task<T> GetJsonAsync<T>(string path, string? query, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var (_, body) = await SendAsync(HttpMethod.Get, path, query, null, _options.RequestTimeout, retry: true, cancellationToken);
        return Deserialize(HttpMethod.Get, path, body, type);
    }

    private async Task<T?> GetJsonOrNullAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path, null, null, _options.RequestTimeout, retry: true, cancellationToken, allowNotFound: true);
        return status == HttpStatusCode.NotFound ? null : Deserialize(HttpMethod.Get, path, body, type);
    }

    private async Task SendJsonAsync<T>(HttpMethod method, string path, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        => await SendAsync(method, path, null, JsonSerializer.Serialize(value, type), _options.RequestTimeout, retry: true, cancellationToken);

    private T Deserialize<T>(HttpMethod method, string path, string body, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type)
                ?? throw new SyncthingException(Endpoint(method, path), null, $"syncthing at {BaseAddress} answered {Endpoint(method, path)} with an empty body.");
        }
        catch (JsonException ex)
        {
            throw new SyncthingException(
                Endpoint(method, path),
                null,
                $"syncthing at {BaseAddress} answered {Endpoint(method, path)} with JSON ksync cannot read: {ex.Message}",
                "Check that the address is a syncthing REST API of version 1.19 or newer.",
                ex);
        }
    }

    /// <summary>Sends one request (with retries when <paramref name="retry"/>) and returns status and body.</summary>
    private async Task<(HttpStatusCode Status, string Body)> SendAsync(
        HttpMethod method,
        string path,
        string? query,
        string? json,
        TimeSpan timeout,
        bool retry,
        CancellationToken cancellationToken,
        bool allowNotFound = false)
    {
        var endpoint = Endpoint(method, path);
        try
        {
            var (status, body) = retry
                ? await _retrying.ExecuteAsync(
                    static async (state, token) => await state.Client.SendOnceAsync(state.Method, state.Path, state.Query, state.Json, state.Timeout, token),
                    (Client: this, Method: method, Path: path, Query: query, Json: json, Timeout: timeout),
                    cancellationToken)
                : await SendOnceAsync(method, path, query, json, timeout, cancellationToken);
            if ((int)status is >= 200 and < 300 || (allowNotFound && status == HttpStatusCode.NotFound))
            {
                return (status, body);
            }

            throw Failure(endpoint, status, body);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw new SyncthingException(
                endpoint,
                null,
                $"syncthing at {BaseAddress} did not answer {endpoint}: {ex.Message}",
                "Check that syncthing is running and its API address is right.",
                ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SyncthingException(endpoint, ex.StatusCode, $"syncthing at {BaseAddress} answered {endpoint} with {(int?)ex.StatusCode} {ex.StatusCode}: {ex.Message}", null, ex);
        }
        catch (TimeoutException ex)
        {
            throw new SyncthingException(endpoint, null, $"syncthing at {BaseAddress} did not answer {endpoint} within {timeout.TotalSeconds:0.#} s.", "syncthing may be overloaded or hung; check its log.", ex);
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> SendOnceAsync(HttpMethod method, string path, string? query, string? json, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, query is null ? path : path + "?" + query));
        request.Headers.Add("X-API-Key", ApiKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = s_json;
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token);
            var body = await response.Content.ReadAsStringAsync(attempt.Token);
            if (response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
            {
                throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}: {body.Trim()}", null, response.StatusCode);
            }

            return (response.StatusCode, body);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {timeout.TotalSeconds:0.#} s", ex);
        }
    }

    private SyncthingException Failure(string endpoint, HttpStatusCode status, string body)
    {
        var message = body.Trim();
        if (status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            return new SyncthingException(
                endpoint,
                status,
                $"syncthing at {BaseAddress} rejected the API key ({(int)status} on {endpoint}: {message}).",
                "The API key does not match this syncthing's; pass the key syncthing was started with.");
        }

        return new SyncthingException(endpoint, status, $"syncthing at {BaseAddress} answered {endpoint} with {(int)status}: {message}");
    }

    private static string Endpoint(HttpMethod method, string path) => $"{method.Method} /{path.TrimStart('/')}";

    private static string Query(params (string Name, string? Value)[] parameters)
        => string.Join('&', parameters.Where(p => p.Value is not null).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
}
