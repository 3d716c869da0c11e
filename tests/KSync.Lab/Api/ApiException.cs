using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <summary>
/// A failed API request, answered as a <c>Status</c> object with <see cref="Code"/> as the HTTP status
/// (Kubernetes API Concepts: "Responses" — Status kind with reason, message, details and code).
/// </summary>
internal sealed class ApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">HTTP status code.</param>
    /// <param name="reason">Status reason, e.g. "NotFound".</param>
    /// <param name="message">Human-readable message.</param>
    /// <param name="kind">Resource plural for details, or null.</param>
    /// <param name="name">Object name for details, or null.</param>
    /// <param name="group">API group for details.</param>
    public ApiException(int code, string reason, string message, string? kind = null, string? name = null, string group = "")
        : base(message)
    {
        Code = code;
        Reason = reason;
        Kind = kind;
        Name = name;
        Group = group;
    }

    /// <summary>Gets the HTTP status code.</summary>
    public int Code { get; }

    /// <summary>Gets the status reason.</summary>
    public string Reason { get; }

    /// <summary>Gets the resource plural of the details.</summary>
    public string? Kind { get; }

    /// <summary>Gets the object name of the details.</summary>
    public string? Name { get; }

    /// <summary>Gets the API group of the details.</summary>
    public string Group { get; }

    /// <summary>404 for an object.</summary>
    /// <param name="kind">The resource.</param>
    /// <param name="name">The name.</param>
    /// <returns>The exception.</returns>
    public static ApiException NotFound(ResourceKind kind, string name)
        => new(404, "NotFound", $"{kind.Plural}{GroupSuffix(kind)} \"{name}\" not found", kind.Plural, name, kind.Group);

    /// <summary>409 AlreadyExists.</summary>
    /// <param name="kind">The resource.</param>
    /// <param name="name">The name.</param>
    /// <returns>The exception.</returns>
    public static ApiException AlreadyExists(ResourceKind kind, string name)
        => new(409, "AlreadyExists", $"{kind.Plural}{GroupSuffix(kind)} \"{name}\" already exists", kind.Plural, name, kind.Group);

    /// <summary>409 Conflict on a stale resourceVersion.</summary>
    /// <param name="kind">The resource.</param>
    /// <param name="name">The name.</param>
    /// <returns>The exception.</returns>
    public static ApiException Conflict(ResourceKind kind, string name)
        => new(409, "Conflict", $"Operation cannot be fulfilled on {kind.Plural}{GroupSuffix(kind)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", kind.Plural, name, kind.Group);

    /// <summary>422 Invalid.</summary>
    /// <param name="kind">The resource.</param>
    /// <param name="name">The name.</param>
    /// <param name="why">What is invalid.</param>
    /// <returns>The exception.</returns>
    public static ApiException Invalid(ResourceKind kind, string name, string why)
        => new(422, "Invalid", $"{kind.Kind} \"{name}\" is invalid: {why}", kind.Plural, name, kind.Group);

    /// <summary>400 BadRequest.</summary>
    /// <param name="message">What is wrong.</param>
    /// <returns>The exception.</returns>
    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>410 Expired: the requested resourceVersion is older than the retained history.</summary>
    /// <param name="requested">The requested version.</param>
    /// <param name="oldest">The oldest version still known.</param>
    /// <returns>The exception.</returns>
    public static ApiException Gone(long requested, long oldest)
        => new(410, "Expired", $"too old resource version: {requested} ({oldest})");

    /// <summary>The Status object for this failure.</summary>
    /// <returns>The JSON object.</returns>
    public JsonObject ToStatus() => Status(Code, Reason, Message, Kind, Name, Group);

    /// <summary>Builds a Status object.</summary>
    /// <param name="code">HTTP code.</param>
    /// <param name="reason">Reason.</param>
    /// <param name="message">Message.</param>
    /// <param name="kind">Resource plural or null.</param>
    /// <param name="name">Name or null.</param>
    /// <param name="group">Group.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject Status(int code, string reason, string message, string? kind = null, string? name = null, string group = "")
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = code < 300 ? "Success" : "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (kind is not null || name is not null)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }

            if (group.Length > 0)
            {
                details["group"] = group;
            }

            if (kind is not null)
            {
                details["kind"] = kind;
            }

            status["details"] = details;
        }

        return status;
    }

    private static string GroupSuffix(ResourceKind kind) => kind.Group.Length == 0 ? string.Empty : "." + kind.Group;
}
