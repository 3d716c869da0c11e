namespace KSync.Lab.Kubelet;

/// <summary>A pod spec the kubelet cannot run as given; the reason and message go to the container's waiting state.</summary>
internal sealed class PlanException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Waiting reason, e.g. CreateContainerConfigError.</param>
    /// <param name="message">What is wrong.</param>
    public PlanException(string reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Gets the waiting reason.</summary>
    public string Reason { get; }
}
