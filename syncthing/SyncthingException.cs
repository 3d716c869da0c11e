using System.Net;

namespace KSync.Syncthing;

/// <summary>
/// A failure talking to or running syncthing. The message names the endpoint (e.g. <c>POST /rest/db/scan</c>) and
/// syncthing's own message; <see cref="Hint"/> says how to fix it where that is known; <see cref="StatusCode"/> is set
/// when syncthing answered with an HTTP error.
/// </summary>
public sealed class SyncthingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="hint">How to fix it, or null.</param>
    /// <param name="innerException">The underlying failure, or null.</param>
    public SyncthingException(string message, string? hint = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Hint = hint;
    }

    /// <summary>Creates the exception for a failed REST call.</summary>
    /// <param name="endpoint">Method and path, e.g. <c>GET /rest/system/status</c>.</param>
    /// <param name="statusCode">HTTP status, or null when no answer came.</param>
    /// <param name="message">What is wrong, including syncthing's message.</param>
    /// <param name="hint">How to fix it, or null.</param>
    /// <param name="innerException">The underlying failure, or null.</param>
    public SyncthingException(string endpoint, HttpStatusCode? statusCode, string message, string? hint = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Hint = hint;
        Endpoint = endpoint;
        StatusCode = statusCode;
    }

    /// <summary>Gets how to fix the problem, or null when the message says it all.</summary>
    public string? Hint { get; }

    /// <summary>Gets the REST endpoint that failed (<c>METHOD /path</c>), or null for a process failure.</summary>
    public string? Endpoint { get; }

    /// <summary>Gets the HTTP status syncthing answered with, or null when it did not answer.</summary>
    public HttpStatusCode? StatusCode { get; }
}
